package io.gamewire.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.config.DurationText.Unit;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void aWholeNumberAndAUnitWithOrWithoutASpace() {
        assertThat(DurationText.parse("500ms", DurationText.ANY_UNIT).map(DurationText::duration))
                .contains(Duration.ofMillis(500));
        assertThat(DurationText.parse("30s", DurationText.ANY_UNIT).map(DurationText::duration))
                .contains(Duration.ofSeconds(30));
        assertThat(DurationText.parse("15 m", DurationText.ANY_UNIT).map(DurationText::duration))
                .contains(Duration.ofMinutes(15));
        assertThat(DurationText.parse("8h", DurationText.ANY_UNIT).map(DurationText::duration))
                .contains(Duration.ofHours(8));
        assertThat(DurationText.parse("2d", DurationText.ANY_UNIT)).contains(new DurationText(2, Unit.DAYS));
        assertThat(DurationText.parse("0s", DurationText.ANY_UNIT)).contains(new DurationText(0, Unit.SECONDS));
    }

    @Test
    void anythingElseOrAUnitNotTakenIsNone() {
        for (String bad : new String[] {"", "s", "7", "7x", "1.5m", "-1m", "1y", " 30s", "30s ", "1234567890s"}) {
            assertThat(DurationText.parse(bad, DurationText.ANY_UNIT)).as(bad).isEmpty();
        }
        assertThat(DurationText.parse(null, DurationText.ANY_UNIT)).isEmpty();
        assertThat(DurationText.parse("1d", Set.of(Unit.SECONDS, Unit.MINUTES, Unit.HOURS))).isEmpty();
        assertThat(DurationText.parse("500ms", Set.of(Unit.SECONDS))).isEmpty();
    }
}

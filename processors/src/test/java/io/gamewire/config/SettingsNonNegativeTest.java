package io.gamewire.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.TestSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A setting that takes 0 or more says which setting a negative value was given to. */
class SettingsNonNegativeTest {

    @Test
    void zeroIsTakenANegativeNumberIsRefusedNamingTheSetting() {
        Settings settings = TestSettings.of(Map.of("gamewire.broker.embedded.min-free-disk-mb", "0",
                "gamewire.other", "-5"));

        assertThat(settings.nonNegative("gamewire.broker.embedded.min-free-disk-mb")).isZero();
        assertThatThrownBy(() -> settings.nonNegative("gamewire.other")).isInstanceOf(StartupException.class)
                .hasMessage("property gamewire.other must be 0 or more, was -5");
    }
}

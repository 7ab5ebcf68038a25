package io.gamewire.titles.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {

    private static Pattern pattern(String template) {
        return KeyTemplate.parse(template).template().pattern("halo", List.of("dev", "prod"), "stats", "match_end");
    }

    @Test
    void aPatternMatchesEveryKeyTheTemplateCanRender() {
        Pattern pattern = pattern("{title}.{env}:{service}/{command}:{payload.map}:{messageId}");
        assertThat(pattern.matcher("halo.prod:stats/match_end:Blood Gulch:0193a8f2-0000-7000-8000-000000000001")
                .matches()).isTrue();
        assertThat(pattern.matcher("halo.dev:stats/match_end::0193a8f2-0000-7000-8000-000000000001").matches()).isTrue();
    }

    @Test
    void literalsAndEnvelopeFieldsMustBeThemselves() {
        assertThat(pattern("{title}.{env}:{payload.map}").matcher("halo.staging:x").matches()).isFalse();
        assertThat(pattern("{title}.{env}:{payload.map}").matcher("haloXprod:x").matches()).isFalse();
        assertThat(pattern("player:{payload.id}").matcher("players:1").matches()).isFalse();
        assertThat(pattern("event:{messageId}").matcher("event:not-a-message-id").matches()).isFalse();
    }
}

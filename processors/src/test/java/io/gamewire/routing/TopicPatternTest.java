package io.gamewire.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicPatternTest {

    @ParameterizedTest
    @CsvSource({
        "#, halo.prod.stats.match_end, true",
        "halo.prod.#, halo.prod.stats.match_end, true",
        "halo.prod.#, halo.staging.stats.match_end, false",
        "halo.*.stats.#, halo.staging.stats.match_end, true",
        "halo.*.stats.#, halo.staging.chat.say, false",
        "*.prod.*.*, halo.prod.stats.match_end, true",
        "*.prod.*, halo.prod.stats.match_end, false",
        "halo.#.match_end, halo.prod.stats.match_end, true",
        "halo.#.match_end, halo.match_end, true",
        "halo.prod.stats.match_end, halo.prod.stats.match_end, true",
        "halo.prod.stats.match_end.#, halo.prod.stats.match_end, true",
        "halo.prod.stats.match_start, halo.prod.stats.match_end, false",
    })
    void matchesLikeATopicExchange(String pattern, String key, boolean expected) {
        assertThat(TopicPattern.parse(pattern).matches(key)).isEqualTo(expected);
    }

    @Test
    void refusesWhatABrokerWouldNotBindNamingTheWord() {
        assertThatThrownBy(() -> TopicPattern.parse("")).hasMessageContaining("pattern is empty");
        assertThatThrownBy(() -> TopicPattern.parse("halo..stats")).hasMessageContaining("word 2 ''");
        assertThatThrownBy(() -> TopicPattern.parse("Halo.#")).hasMessageContaining("word 1 'Halo'");
        assertThatThrownBy(() -> TopicPattern.parse("halo.pr*d")).hasMessageContaining("word 2 'pr*d'");
        assertThatThrownBy(() -> TopicPattern.parse("a.".repeat(200))).hasMessageContaining("the limit is 255");
    }
}

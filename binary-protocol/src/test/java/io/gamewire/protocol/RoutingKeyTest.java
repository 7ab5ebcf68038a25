package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RoutingKeyTest {

    @Test
    void parsesFourParts() {
        RoutingKey key = RoutingKey.parse("halo.prod.stats.match_end");

        assertThat(key.title()).isEqualTo("halo");
        assertThat(key.env()).isEqualTo("prod");
        assertThat(key.service()).isEqualTo("stats");
        assertThat(key.command()).isEqualTo("match_end");
        assertThat(key.serviceKey()).isEqualTo("halo.prod.stats");
        assertThat(key).hasToString("halo.prod.stats.match_end");
    }

    @Test
    void acceptsPartsOfExactlyTheLimit() {
        String part = "a".repeat(RoutingKey.MAX_PART_LENGTH);
        RoutingKey key = RoutingKey.parse(part + "." + part + "." + part + "." + part);

        assertThat(key.toString()).hasSize(RoutingKey.MAX_LENGTH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "halo.prod.stats            | has 3 part(s); expected 4",
        "halo.prod.stats.a.b        | has 5 part(s); expected 4",
        "halo..stats.end            | env part of the routing key is empty",
        "Halo.prod.stats.end        | title part 'Halo' has character 'H' at position 1",
        "halo.prod.st ats.end       | service part 'st ats' has character ' ' at position 3",
        "halo.prod.stats.end*       | command part 'end*' has character '*' at position 4",
        "halo.prod.stats.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | command part 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is 33 characters long, the limit is 32",
    })
    void refusalNamesThePartAndTheRule(String key, String expected) {
        assertThatThrownBy(() -> RoutingKey.parse(key))
                .isInstanceOf(InvalidRoutingKeyException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void refusesEmptyAndOverlongKeysBeforeSplitting() {
        assertThatThrownBy(() -> RoutingKey.parse("")).hasMessageContaining("routing key is empty");
        assertThatThrownBy(() -> RoutingKey.parse("a".repeat(200)))
                .hasMessageContaining("200 characters long, the limit is 131");
    }
}

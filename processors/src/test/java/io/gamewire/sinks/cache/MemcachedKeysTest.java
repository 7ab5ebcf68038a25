package io.gamewire.sinks.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemcachedKeysTest {

    @Test
    void anOrdinaryKeyIsLeftAsItIs() {
        assertThat(MemcachedKeys.of("gw:", "score:ada")).isEqualTo("gw:score:ada");
    }

    @Test
    void spacesControlCharactersPercentAndNonAsciiAreEscapedAsUtf8Bytes() {
        assertThat(MemcachedKeys.of("gw:", "score:ada lovelace")).isEqualTo("gw:score:ada%20lovelace");
        assertThat(MemcachedKeys.of("gw:", "a\nb\u0000c\u007f")).isEqualTo("gw:a%0Ab%00c%7F");
        assertThat(MemcachedKeys.of("gw:", "100%")).isEqualTo("gw:100%25");
        assertThat(MemcachedKeys.of("gw:", "café")).isEqualTo("gw:caf%C3%A9");
    }

    @Test
    void aKeyOverTheLimitKeepsItsHeadAndEndsInTheHashOfTheWholeKey() {
        String key = MemcachedKeys.of("gw:", "x".repeat(300));

        assertThat(key).hasSize(MemcachedKeys.MAX_KEY_BYTES)
                .startsWith("gw:" + "x".repeat(MemcachedKeys.HEAD_BYTES - 3) + "%H");
        assertThat(MemcachedKeys.of("gw:", "x".repeat(301))).isNotEqualTo(key).hasSize(MemcachedKeys.MAX_KEY_BYTES);
        // escaping can push a key over the limit too: 100 spaces are 300 bytes escaped
        assertThat(MemcachedKeys.of("", " ".repeat(100))).hasSize(MemcachedKeys.MAX_KEY_BYTES).contains("%H");
    }

    @Test
    void everyKeyIsOneMemcachedTakes() {
        for (String key : tricky()) {
            String legal = MemcachedKeys.of("gw:", key);
            assertThat(legal.getBytes(StandardCharsets.UTF_8).length).as(key).isLessThanOrEqualTo(250);
            assertThat(legal.chars()).as(key).allMatch(c -> c > ' ' && c < 0x7f);
        }
    }

    @Test
    void differentKeysStayDifferent() {
        Set<String> seen = new HashSet<>();
        for (String key : tricky()) {
            assertThat(seen.add(MemcachedKeys.of("gw:", key))).as("%s meets another key", key).isTrue();
        }
    }

    /** Keys that would meet under a careless encoding: an escape written out, a head shared by long keys. */
    private static List<String> tricky() {
        String head = "y".repeat(MemcachedKeys.HEAD_BYTES - 3);
        String hashedForm = MemcachedKeys.of("gw:", "z".repeat(260)).substring(3);
        return List.of("a b", "a%20b", "a%2520b", "a+b", "a\tb", "a%09b", "", " ", "%", "%25",
                head + "1".repeat(60), head + "2".repeat(60), hashedForm, "é", "%C3%A9", "z".repeat(260),
                "z".repeat(250), "z".repeat(247));
    }
}

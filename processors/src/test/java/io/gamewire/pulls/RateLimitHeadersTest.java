package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rate-limit header families a publisher may send, and when they ask for a wait. */
class RateLimitHeadersTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Optional<Duration> hold(String... nameValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return RateLimitHeaders.hold(HttpHeaders.of(map, (n, v) -> true), NOW);
    }

    @Test
    void ietfSeparateFields() {
        assertThat(hold("RateLimit-Limit", "10", "RateLimit-Remaining", "0", "RateLimit-Reset", "30"))
                .contains(Duration.ofSeconds(30));
        assertThat(hold("RateLimit-Limit", "10", "RateLimit-Remaining", "1", "RateLimit-Reset", "30")).isEmpty();
    }

    @Test
    void ietfOneFieldInBothForms() {
        assertThat(hold("RateLimit", "limit=100, remaining=0, reset=12")).contains(Duration.ofSeconds(12));
        assertThat(hold("RateLimit", "\"default\";r=0;t=9")).contains(Duration.ofSeconds(9));
        assertThat(hold("RateLimit", "\"default\";r=5;t=9")).isEmpty();
    }

    @Test
    void xRateLimitResetAsEpochSecondsOrAsSecondsFromNow() {
        long inAMinute = NOW.plusSeconds(60).getEpochSecond();
        assertThat(hold("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(inAMinute)))
                .contains(Duration.ofSeconds(60));
        assertThat(hold("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "15")).contains(Duration.ofSeconds(15));
        assertThat(hold("X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                Long.toString(NOW.minusSeconds(5).getEpochSecond()))).as("a reset in the past").isEmpty();
    }

    @Test
    void windowPairsOfAnyPrefixWaitOutTheLongestFullWindow() {
        assertThat(hold("X-App-Rate-Limit", "20:1,100:120", "X-App-Rate-Limit-Count", "20:1,42:120"))
                .contains(Duration.ofSeconds(1));
        assertThat(hold("X-App-Rate-Limit", "20:1,100:120", "X-App-Rate-Limit-Count", "20:1,100:120",
                "X-Method-Rate-Limit", "2000:10", "X-Method-Rate-Limit-Count", "3:10"))
                .contains(Duration.ofSeconds(120));
        assertThat(hold("X-App-Rate-Limit", "20:1", "X-App-Rate-Limit-Count", "19:1")).isEmpty();
    }

    @Test
    void unreadableValuesAreIgnored() {
        assertThat(hold("RateLimit-Remaining", "none", "RateLimit-Reset", "30")).isEmpty();
        assertThat(hold("X-App-Rate-Limit", "lots", "X-App-Rate-Limit-Count", "many")).isEmpty();
        assertThat(hold()).isEmpty();
    }
}

package io.gamewire.sinks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The behaviour every {@link EventCache} must have: one run per {@link Stack}, Caffeine and memcached. */
class EventCacheTest {

    private static final byte[] VALUE = "{\"score\":42}".getBytes(StandardCharsets.UTF_8);

    private EventCache cache;

    @BeforeEach
    void openCache(EventCache cache) {
        this.cache = cache;
    }

    /** Keys a title fills from payload fields: memcached's protocol refuses these as they are. */
    private static final java.util.List<String> PAYLOAD_KEYS = java.util.List.of("score:ada lovelace",
            "score:line\nbreak", "score:" + "x".repeat(300), "score:café", "score:ada%20lovelace");

    @AfterEach
    void invalidateEntries() {
        cache.invalidate("event:a");
        cache.invalidate("event:b");
        PAYLOAD_KEYS.forEach(cache::invalidate);
    }

    @StackTest
    void keysWithSpacesControlCharactersOrOverTheLimitAreStoredAndKeptApart() {
        for (int i = 0; i < PAYLOAD_KEYS.size(); i++) {
            cache.put(PAYLOAD_KEYS.get(i), new byte[] {(byte) i}, Duration.ofMinutes(1));
        }
        cache.putAll(java.util.List.of(new EventCache.Entry("score:ada lovelace", new byte[] {42}, Duration.ofMinutes(1))));

        assertThat(cache.get("score:ada lovelace")).hasValueSatisfying(v -> assertThat(v).containsExactly(42));
        for (int i = 1; i < PAYLOAD_KEYS.size(); i++) {
            byte expected = (byte) i;
            assertThat(cache.get(PAYLOAD_KEYS.get(i))).as(PAYLOAD_KEYS.get(i))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(expected));
        }
        cache.invalidate("score:" + "x".repeat(300));
        assertThat(cache.get("score:" + "x".repeat(300))).isEmpty();
    }

    @StackTest
    void returnsWhatWasPut() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(VALUE));
        assertThat(cache.get("event:b")).isEmpty();
    }

    @StackTest
    void putAllStoresEveryEntryAndTheLastOfAKeyWins() {
        cache.putAll(java.util.List.of(new EventCache.Entry("event:a", VALUE, Duration.ofMinutes(1)),
                new EventCache.Entry("event:b", new byte[] {7}, Duration.ofMinutes(1)),
                new EventCache.Entry("event:a", new byte[] {1, 2}, Duration.ofMinutes(1))));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
        assertThat(cache.get("event:b")).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
    }

    @StackTest
    void laterPutReplacesTheValue() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));
        cache.put("event:a", new byte[] {1, 2, 3}, Duration.ofMinutes(1));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
    }

    @StackTest
    void invalidateForgetsTheKey() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));
        cache.invalidate("event:a");

        assertThat(cache.get("event:a")).isEmpty();
    }

    @StackTest
    void entriesExpireAfterTheirTtl() {
        cache.put("event:b", VALUE, Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get("event:b").isEmpty());
    }

    @StackTest
    void pingSucceedsWhenReachable() {
        cache.ping();
    }

    @StackTest(Stack.EMBEDDED)
    void refusesANonPositiveTtl() {
        assertThatThrownBy(() -> cache.put("event:a", new byte[1], Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache TTL must be positive");
    }

    @StackTest(Stack.SERVICES)
    void aPoolWithAnUnreachableServerFailsPing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (EventCache partial = new MemcachedEventCache(
                RealServices.MEMCACHED_SERVERS + " 127.0.0.1:" + closedPort, 500, "x:")) {
            assertThatThrownBy(partial::ping)
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("servers reachable");
        }
    }
}

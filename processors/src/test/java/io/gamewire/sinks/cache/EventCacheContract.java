package io.gamewire.sinks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link EventCache} must have; one subclass per implementation. */
abstract class EventCacheContract {

    private static final byte[] VALUE = "{\"score\":42}".getBytes(StandardCharsets.UTF_8);

    protected EventCache cache;

    protected abstract EventCache open();

    @BeforeEach
    void openCache() {
        cache = open();
    }

    @AfterEach
    void closeCache() {
        cache.invalidate("event:a");
        cache.invalidate("event:b");
        cache.close();
    }

    @Test
    void returnsWhatWasPut() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(VALUE));
        assertThat(cache.get("event:b")).isEmpty();
    }

    @Test
    void putAllStoresEveryEntryAndTheLastOfAKeyWins() {
        cache.putAll(java.util.List.of(new EventCache.Entry("event:a", VALUE, Duration.ofMinutes(1)),
                new EventCache.Entry("event:b", new byte[] {7}, Duration.ofMinutes(1)),
                new EventCache.Entry("event:a", new byte[] {1, 2}, Duration.ofMinutes(1))));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
        assertThat(cache.get("event:b")).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
    }

    @Test
    void laterPutReplacesTheValue() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));
        cache.put("event:a", new byte[] {1, 2, 3}, Duration.ofMinutes(1));

        assertThat(cache.get("event:a")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
    }

    @Test
    void invalidateForgetsTheKey() {
        cache.put("event:a", VALUE, Duration.ofMinutes(1));
        cache.invalidate("event:a");

        assertThat(cache.get("event:a")).isEmpty();
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        cache.put("event:b", VALUE, Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get("event:b").isEmpty());
    }

    @Test
    void pingSucceedsWhenReachable() {
        cache.ping();
    }
}

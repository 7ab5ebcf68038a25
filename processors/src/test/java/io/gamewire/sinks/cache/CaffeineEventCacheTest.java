package io.gamewire.sinks.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineEventCacheTest extends EventCacheContract {

    @Override
    protected EventCache open() {
        return new CaffeineEventCache(1000);
    }

    @Test
    void refusesANonPositiveTtl() {
        assertThatThrownBy(() -> cache.put("event:a", new byte[1], Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache TTL must be positive");
    }
}

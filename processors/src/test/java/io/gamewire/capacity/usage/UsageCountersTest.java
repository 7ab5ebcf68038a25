package io.gamewire.capacity.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UsageCountersTest {

    @Test
    void anEventCountsForItsServiceAndItsCommand() {
        UsageCounters counters = new UsageCounters();
        counters.count("halo.prod.stats.kill");
        counters.count("halo.prod.stats.kill");
        counters.count("halo.prod.stats.death");
        counters.count("halo.prod.chat.say");

        assertThat(counters.totals()).isEqualTo(Map.of("halo.prod.stats", 3L, "halo.prod.stats.kill", 2L,
                "halo.prod.stats.death", 1L, "halo.prod.chat", 1L, "halo.prod.chat.say", 1L));
    }

    @Test
    void keysWithoutFourPartsAreNotCounted() {
        UsageCounters counters = new UsageCounters();
        counters.count("halo.prod.stats");
        counters.count("halo.prod.stats.kill.extra");
        counters.count("nodots");

        assertThat(counters.totals()).isEmpty();
    }

    @Test
    void countsFromManyThreadsAreNotLost() throws Exception {
        UsageCounters counters = new UsageCounters();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counters.count("halo.prod.stats.kill");
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(counters.totals()).containsEntry("halo.prod.stats", 40_000L).containsEntry("halo.prod.stats.kill", 40_000L);
    }
}

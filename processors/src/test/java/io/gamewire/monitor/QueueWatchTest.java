package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.camel.NamedThreads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The queue watch over a probe the test controls. */
class QueueWatchTest {

    private final AtomicReference<Map<String, QueueFigures>> broker = new AtomicReference<>(Map.of());
    private final AtomicReference<List<String>> asked = new AtomicReference<>();
    private volatile boolean down;

    private QueueProbe probe(String source) {
        return new QueueProbe() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public Map<String, QueueFigures> read(List<String> queues) throws IOException {
                asked.set(queues);
                if (down) {
                    throw new IOException("broker unreachable");
                }
                return broker.get();
            }
        };
    }

    @Test
    void pollsEveryServiceQueueAndItsDeadLetterQueueAndShowsThemAsGauges() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        broker.set(Map.of("halo.prod.stats", new QueueFigures("halo.prod.stats", 7, 2L, 3),
                "halo.prod.stats.dlq", new QueueFigures("halo.prod.stats.dlq", 1, 0L, 0)));
        try (QueueWatch watch = new QueueWatch(probe("management-api"), () -> List.of("halo.prod.stats", "halo.dev.stats"),
                meters, NamedThreads.PLAIN)) {
            watch.poll();

            assertThat(asked.get()).containsExactly("halo.dev.stats", "halo.dev.stats.dlq", "halo.prod.stats",
                    "halo.prod.stats.dlq");
            QueueWatch.Snapshot last = watch.last();
            assertThat(last.services()).containsExactly("halo.dev.stats", "halo.prod.stats");
            assertThat(last.error()).isNull();
            assertThat(meters.get("gamewire.queue.messages").tag("queue", "halo.prod.stats").gauge().value()).isEqualTo(7);
            assertThat(meters.get("gamewire.queue.unacked").tag("queue", "halo.prod.stats").gauge().value()).isEqualTo(2);
            assertThat(meters.get("gamewire.queue.consumers").tag("queue", "halo.prod.stats").gauge().value()).isEqualTo(3);
            assertThat(meters.get("gamewire.queue.messages").tag("queue", "halo.prod.stats.dlq").gauge().value()).isEqualTo(1);
            // declared but not on the broker: no sample
            assertThat(meters.get("gamewire.queue.messages").tag("queue", "halo.dev.stats").gauge().value()).isNaN();
        }
    }

    @Test
    void aPollThatCannotAskTheBrokerKeepsTheReasonAndTheGaugesGoBlank() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        broker.set(Map.of("halo.prod.stats", new QueueFigures("halo.prod.stats", 7, null, 3)));
        try (QueueWatch watch = new QueueWatch(probe("passive-declare"), () -> List.of("halo.prod.stats"), meters,
                NamedThreads.PLAIN)) {
            watch.poll();
            assertThat(meters.find("gamewire.queue.unacked").gauge()).as("passive declares know no unacked").isNull();
            down = true;

            watch.poll();

            assertThat(watch.last().error()).isEqualTo("broker unreachable");
            assertThat(meters.get("gamewire.queue.messages").tag("queue", "halo.prod.stats").gauge().value()).isNaN();
        }
    }

    @Test
    void startedItPollsAtOnceAndThenAgain() {
        try (QueueWatch watch = new QueueWatch(probe("passive-declare"), () -> List.of("halo.prod.stats"),
                new SimpleMeterRegistry(), NamedThreads.PLAIN)) {
            watch.start(100);
            await().atMost(Duration.ofSeconds(5)).until(() -> watch.last() != null);
            long first = watch.last().polledAtMs();
            await().atMost(Duration.ofSeconds(5)).until(() -> watch.last().polledAtMs() > first);
        }
    }
}

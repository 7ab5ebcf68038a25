package io.gamewire.pulls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The pull engine's meters, each tagged {@code title} and {@code pull}:
 * <ul>
 *   <li>{@code gamewire.pull.runs} (counter, {@code outcome} = ok, not_modified, failed, skipped)</li>
 *   <li>{@code gamewire.pull.run.duration} (timer, same {@code outcome})</li>
 *   <li>{@code gamewire.pull.items} (counter, {@code outcome} = published, dead_lettered (refused by
 *       the command's schema, sent to the service's .dlq), duplicate)</li>
 *   <li>{@code gamewire.pull.requests.retried} (counter: requests sent again after 429, 5xx or a
 *       network error)</li>
 * </ul>
 */
final class PullMetrics {

    static final String RUNS = "gamewire.pull.runs";
    static final String RUN_DURATION = "gamewire.pull.run.duration";
    static final String ITEMS = "gamewire.pull.items";
    static final String RETRIED = "gamewire.pull.requests.retried";

    private final MeterRegistry registry;

    PullMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void run(PullResult result) {
        String outcome = result.outcome().tag();
        Counter.builder(RUNS).description("Runs of a pull, by outcome")
                .tags("title", result.title(), "pull", result.pull(), "outcome", outcome)
                .register(registry).increment();
        Timer.builder(RUN_DURATION).description("How long runs of a pull take")
                .tags("title", result.title(), "pull", result.pull(), "outcome", outcome)
                .register(registry).record(result.took() == null ? Duration.ZERO : result.took());
        items(result.title(), result.pull(), "published", result.itemsPublished());
        items(result.title(), result.pull(), "dead_lettered", result.itemsDeadLettered());
        items(result.title(), result.pull(), "duplicate", result.duplicatesSkipped());
    }

    void retried(String title, String pull) {
        Counter.builder(RETRIED).description("Requests of a pull sent again after 429, 5xx or a network error")
                .tags("title", title, "pull", pull).register(registry).increment();
    }

    private void items(String title, String pull, String outcome, long count) {
        Counter counter = Counter.builder(ITEMS).description("Items of a pull: published, dead-lettered, or skipped as duplicates")
                .tags("title", title, "pull", pull, "outcome", outcome).register(registry);
        if (count > 0) {
            counter.increment(count);
        }
    }
}

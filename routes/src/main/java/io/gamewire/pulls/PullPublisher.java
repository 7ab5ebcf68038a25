package io.gamewire.pulls;

import java.util.concurrent.CompletableFuture;

/**
 * Where a pull's items go: one call per new item, the future completing when the broker confirmed
 * the event (failing when it refused it or did not answer). The pull engine waits for every
 * future of a page before it stores that page's watermark, so the watermark never runs ahead of
 * what is really on the bus ({@link BusPullPublisher} is the bus's implementation).
 */
@FunctionalInterface
public interface PullPublisher {

    /**
     * Publishes one item as an event whose message id is {@link PulledItem#messageId()}.
     *
     * @return completes once the broker confirmed the event; a refusal may also throw at once
     */
    CompletableFuture<Void> publish(PulledItem item);
}

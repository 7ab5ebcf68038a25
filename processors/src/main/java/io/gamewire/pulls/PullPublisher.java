package io.gamewire.pulls;

import io.gamewire.bus.PublishOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Where a pull's items go: one call per new item, the future completing when the broker confirmed
 * the event (failing when it refused it or did not answer). The pull engine waits for every
 * future of a page before it stores that page's watermark, so the watermark never runs ahead of
 * what is really on the bus ({@link BusPullPublisher} is the bus's implementation).
 */
public interface PullPublisher {

    /**
     * A new publish order for one run: its items are published in it, so the broker receives them
     * in the order of the run's pages and items. The run closes it when it ends.
     */
    PublishOrder openOrder();

    /**
     * Publishes one item as an event whose message id is {@link PulledItem#messageId()}, in
     * {@code order}: after the items published before in it.
     *
     * @return completes once the broker confirmed the event; a failure that may pass (no broker, no
     *         confirm, a title not loaded) may also throw at once, and fails the run
     * @throws ItemRefusedException when the item itself can never be published (its payload
     *                              breaks the command's schema): the engine dead-letters it
     */
    CompletableFuture<Void> publish(PulledItem item, PublishOrder order);

    /**
     * Publishes a refused item to its service's dead-letter queue instead, with the same message
     * id, so that it can be replayed once the title file takes it.
     *
     * @param reason why, naming the pull, the item's position and what the schema refused
     * @return completes once the broker confirmed the dead letter
     */
    CompletableFuture<Void> deadLetter(PulledItem item, String reason);
}

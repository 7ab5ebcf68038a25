package io.gamewire.capacity.plan;

import java.util.OptionalInt;
import java.util.OptionalLong;

/** Messages ready on a queue and its consumers, as the latest poll of the queue watch saw them. */
@FunctionalInterface
public interface QueueBacklog {

    /** Empty when unknown (no watch, or the queue not polled yet). */
    OptionalLong ready(String queue);

    /** The queue's consumers on the broker, every instance's together; empty when unknown. */
    default OptionalInt consumers(String queue) {
        return OptionalInt.empty();
    }

    QueueBacklog UNKNOWN = queue -> OptionalLong.empty();
}

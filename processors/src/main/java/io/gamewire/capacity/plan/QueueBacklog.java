package io.gamewire.capacity.plan;

import java.util.OptionalLong;

/** Messages ready on a queue, as the latest poll of the queue watch saw them. */
@FunctionalInterface
public interface QueueBacklog {

    /** Empty when unknown (no watch, or the queue not polled yet). */
    OptionalLong ready(String queue);

    QueueBacklog UNKNOWN = queue -> OptionalLong.empty();
}

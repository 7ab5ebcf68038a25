package io.gamewire.capacity.plan;

import java.util.OptionalInt;

/** What the planner needs of the listener containers: {@code io.gamewire.capacity.scale.ConsumerScaling}. */
public interface ConsumerControl {

    /** The consumers running on {@code queue} in this instance; empty when nothing consumes it here. */
    OptionalInt current(String queue);

    /** Runs exactly {@code consumers}; false when nothing consumes the queue here. */
    boolean set(String queue, int consumers);

    /** Lets the container scale between {@code min} and {@code max} by its own rules again. */
    boolean release(String queue, int min, int max);
}

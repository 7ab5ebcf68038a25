package io.gamewire.capacity.scale;

import io.gamewire.capacity.plan.ConsumerControl;
import java.util.OptionalInt;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Changes the consumer count of a running service's listener container, without restarting its
 * route. {@link #set} pins the container to exactly {@code n} consumers (its
 * {@code concurrentConsumers} and {@code maxConcurrentConsumers} both {@code n}), so Spring's own
 * scaling stops; {@link #release} gives it back its {@code consumers: {min, max}} range, Spring's own
 * scaling between them.
 *
 * <p>What happens to the messages of a consumer the container takes away (spring-rabbit 3.2.8): the
 * container cancels it (basic.cancel), the consumer hands the listener what it has already received,
 * then it is stopped (basic.recover with requeue, the channel closed), and the broker requeues every
 * message of that channel not acknowledged yet. With the
 * asynchronous manual acknowledgement of the consumer route, a message whose store completes after
 * the close cannot be acked any more; it is delivered again, and the idempotent sinks store it
 * once. So a shrink may duplicate deliveries, never lose one (docs/CAPACITY.md).
 */
public final class ConsumerScaling implements ConsumerControl {

    private final KeptListenerContainers containers;

    public ConsumerScaling(KeptListenerContainers containers) {
        this.containers = containers;
    }

    /**
     * Runs exactly {@code consumers} consumers on {@code queue}.
     *
     * @return false when no container consumes the queue (its route is not running)
     */
    @Override
    public boolean set(String queue, int consumers) {
        return range(queue, consumers, consumers);
    }

    /** Lets the container scale between {@code min} and {@code max} by Spring's own rules again. */
    @Override
    public boolean release(String queue, int min, int max) {
        return range(queue, min, max);
    }

    /**
     * Sets the container's range. The container refuses a {@code concurrentConsumers} above
     * {@code maxConcurrentConsumers} (and the reverse), so growing sets the maximum first and
     * shrinking the minimum first.
     */
    public boolean range(String queue, int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("consumers must be 1 <= min <= max, were min " + min + ", max " + max);
        }
        return containers.container(queue).map(container -> {
            synchronized (container) {
                if (max >= maxOf(container)) {
                    container.setMaxConcurrentConsumers(max);
                    container.setConcurrentConsumers(min);
                } else {
                    container.setConcurrentConsumers(min);
                    container.setMaxConcurrentConsumers(max);
                }
            }
            return true;
        }).orElse(false);
    }

    /**
     * The consumers the container runs: its {@code concurrentConsumers}, which is the count a plan
     * pinned (a consumer restarting after a channel error is not a smaller count), or empty when no
     * running container consumes the queue.
     */
    @Override
    public OptionalInt current(String queue) {
        return containers.container(queue)
                .filter(SimpleMessageListenerContainer::isRunning)
                .map(container -> OptionalInt.of(concurrentOf(container)))
                .orElse(OptionalInt.empty());
    }

    private static int concurrentOf(SimpleMessageListenerContainer container) {
        Object concurrent = new org.springframework.beans.DirectFieldAccessor(container).getPropertyValue(
                "concurrentConsumers");
        return concurrent instanceof Integer value ? value : container.getActiveConsumerCount();
    }

    private static int maxOf(SimpleMessageListenerContainer container) {
        Object max = new org.springframework.beans.DirectFieldAccessor(container).getPropertyValue(
                "maxConcurrentConsumers");
        return max instanceof Integer value ? value : 0;
    }
}

package io.gamewire.capacity.scale;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The {@code spring-rabbitmq} component's listener-container factory: makes each container as
 * Camel does and keeps the {@link SimpleMessageListenerContainer}s by the queue they consume
 * ({@code endpoint.getQueues()}), so {@link ConsumerScaling} can change their consumer count while
 * they run. A consumer route makes a new container each time it starts (camel-spring-rabbitmq
 * stops and destroys it when the route stops); the newest one for a queue replaces the one kept,
 * and a kept container is forgotten once it has been shut down.
 */
public final class KeptListenerContainers extends DefaultListenerContainerFactory {

    private final Map<String, Kept> containers = new ConcurrentHashMap<>();

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        AbstractMessageListenerContainer made = super.createListenerContainer(endpoint);
        if (made instanceof SimpleMessageListenerContainer smlc && endpoint.getQueues() != null) {
            containers.put(endpoint.getQueues(), new Kept(smlc));
        }
        return made;
    }

    /** The running (or about to start) container consuming {@code queue}. */
    public Optional<SimpleMessageListenerContainer> container(String queue) {
        Kept kept = containers.get(queue);
        if (kept == null) {
            return Optional.empty();
        }
        if (kept.shutDown()) {
            containers.remove(queue, kept);
            return Optional.empty();
        }
        return Optional.of(kept.container);
    }

    /** The queues with a container kept, those shut down left out (and forgotten). */
    public java.util.Set<String> queues() {
        containers.entrySet().removeIf(entry -> entry.getValue().shutDown());
        return java.util.Set.copyOf(containers.keySet());
    }

    /**
     * A container and whether it has been seen active: a container is made inactive before it is
     * started, so only one seen active and inactive again has been shut down.
     */
    private static final class Kept {

        private final SimpleMessageListenerContainer container;
        private volatile boolean seenActive;

        Kept(SimpleMessageListenerContainer container) {
            this.container = container;
        }

        boolean shutDown() {
            if (container.isActive()) {
                seenActive = true;
                return false;
            }
            return seenActive;
        }
    }
}

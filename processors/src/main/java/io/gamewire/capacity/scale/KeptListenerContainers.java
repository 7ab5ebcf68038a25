package io.gamewire.capacity.scale;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The {@code spring-rabbitmq} component's listener-container factory: makes each container as
 * Camel does and keeps the {@link SimpleMessageListenerContainer}s by the queue they consume
 * ({@code endpoint.getQueues()}), so {@link ConsumerScaling} can change their consumer count while
 * they run. A consumer route makes a new container each time it starts (camel-spring-rabbitmq
 * stops and destroys it when the route stops); the newest one for a queue replaces the one kept,
 * and a kept container is forgotten once it has been shut down.
 */
public final class KeptListenerContainers extends DefaultListenerContainerFactory {

    /**
     * Puts a listener of its own in front of the one Camel's consumer sets on a container, for the
     * endpoints it chooses.
     */
    @FunctionalInterface
    public interface ListenerDecorator {
        /** The listener to use instead of {@code own} (Camel's) for {@code endpoint}'s messages, or {@code own}. */
        MessageListener decorate(SpringRabbitMQEndpoint endpoint, MessageListener own);
    }

    private final Map<String, Kept> containers = new ConcurrentHashMap<>();
    private volatile ListenerDecorator decorator;

    /** Every container made from now on gives its listener to {@code decorator} before a consumer thread starts. */
    public void decorateListeners(ListenerDecorator decorator) {
        this.decorator = decorator;
    }

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        AbstractMessageListenerContainer made = super.createListenerContainer(endpoint);
        if (made instanceof SimpleMessageListenerContainer smlc && endpoint.getQueues() != null) {
            containers.put(endpoint.getQueues(), new Kept(smlc));
        }
        ListenerDecorator current = decorator;
        if (current != null) {
            made.setTaskExecutor(new DecoratingStarts(made, endpoint, current));
        }
        return made;
    }

    /**
     * Starts the container's consumer threads, each after putting the decorated listener on it.
     * Camel's consumer sets its listener after this factory made the container and before it starts
     * it, and the container reads its listener for every message from a plain field: set here, on
     * the thread that then starts the consumer thread, every consumer sees it from its first
     * message on (a thread start orders what came before it). The same for consumers added later
     * ({@link ConsumerScaling}) or restarted after a lost connection. The threads are named
     * {@code gw-listener-<queue>-N} (Spring's own default was {@code not.a.Spring.bean-N}).
     */
    private static final class DecoratingStarts implements Executor {

        private final AbstractMessageListenerContainer container;
        private final SpringRabbitMQEndpoint endpoint;
        private final ListenerDecorator decorator;
        private final SimpleAsyncTaskExecutor threads;

        DecoratingStarts(AbstractMessageListenerContainer container, SpringRabbitMQEndpoint endpoint,
                         ListenerDecorator decorator) {
            this.container = container;
            this.endpoint = endpoint;
            this.decorator = decorator;
            this.threads = new SimpleAsyncTaskExecutor("gw-listener-" + endpoint.getQueues() + "-");
        }

        @Override
        public void execute(Runnable consumer) {
            synchronized (this) { // consumers may be started from more than one thread (scaling, restarts)
                MessageListener own = container.getMessageListener();
                if (own != null) {
                    MessageListener decorated = decorator.decorate(endpoint, own);
                    if (decorated != own) {
                        container.setMessageListener(decorated);
                    }
                }
            }
            threads.execute(consumer);
        }
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

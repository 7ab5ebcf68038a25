package io.gamewire.sinks;

import io.gamewire.protocol.camel.GwpDataFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Which service queues store their EVENTs through {@link ConsumedEvents}: those whose consumer route
 * is made from gamewire's own template ({@code service-consumer}), told by the title deployer before
 * it starts the route. A route made from a user's template ({@code consumers.template}) keeps every
 * message in its own steps, and so does every other {@code spring-rabbitmq} consumer. Turned off
 * with {@code gamewire.store.consumer-fast-path=false}: then every message makes a Camel exchange,
 * as before (an A/B of the two, or a way back should the fast path ever misbehave).
 */
public final class ConsumedEventQueues {

    /** Its name in the registry. */
    public static final String BEAN = "consumedEventQueues";
    /** The setting that turns the fast path on (the default) or off. */
    public static final String SETTING = "gamewire.store.consumer-fast-path";

    private final boolean enabled;
    private final SinkBatcher batcher;
    private final GwpDataFormat gwp;
    private final Set<String> queues = ConcurrentHashMap.newKeySet();

    public ConsumedEventQueues(boolean enabled, SinkBatcher batcher, GwpDataFormat gwp) {
        this.enabled = enabled;
        this.batcher = batcher;
        this.gwp = gwp;
    }

    /** Whether the consumer route of {@code queue}, about to start, is made from gamewire's own template. */
    public void byOwnTemplate(String queue, boolean own) {
        if (own) {
            queues.add(queue);
        } else {
            queues.remove(queue);
        }
    }

    /**
     * The listener for a consumer of {@code endpoint}: {@link ConsumedEvents} in front of Camel's for
     * a queue of gamewire's own template consumed with manual acks, else Camel's ({@code own}).
     */
    public MessageListener listenerFor(SpringRabbitMQEndpoint endpoint, MessageListener own) {
        if (!enabled || own instanceof ConsumedEvents || !(own instanceof ChannelAwareMessageListener camels)
                || endpoint.getAcknowledgeMode() != AcknowledgeMode.MANUAL || !queues.contains(endpoint.getQueues())) {
            return own;
        }
        return new ConsumedEvents(camels, batcher, gwp, ManualAck.holdLimit(endpoint.getPrefetchCount()));
    }
}

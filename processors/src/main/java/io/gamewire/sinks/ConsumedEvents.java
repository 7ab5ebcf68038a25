package io.gamewire.sinks;

import com.rabbitmq.client.Channel;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.camel.GwpDataFormat;
import io.gamewire.sinks.sql.StoredEvent;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The listener of a service queue consumed by gamewire's own consumer template: it stores a
 * well-formed EVENT without a Camel exchange and gives the route everything else.
 *
 * <p>Why it leaves Camel: for every stored event the route made an exchange, copied it before each
 * step its error handler wraps and completed it through a unit of work, which was the largest part
 * of gamewire's CPU per event drained that its own code decides (bench/README.md, "Stored EVENTs
 * without a Camel exchange"). Here the listener thread decodes the frame, registers the delivery
 * with its channel's acks ({@link ManualAck}, as the route's first step does) and hands the event
 * to the {@link SinkBatcher}; when its batch is written the delivery is acked with the batch's
 * others, as the route's would be.
 *
 * <p>What goes to the route, as it came: a REQUEST (answered there), a body that is not one GWP
 * EVENT with a message id, routing key and content type (dead-lettered there, with the reason), and
 * an event whose batch failed: the route stores it again at once and meets the failure as it always
 * did (retries with back-off, dead letters, a requeue when stopping), the failed batch counted in
 * the dead letter's attempts. The route adopts a delivery this listener registered
 * ({@link ChannelAcks#register}), so it is acked or requeued once.
 */
public final class ConsumedEvents implements ChannelAwareMessageListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumedEvents.class);

    private final ChannelAwareMessageListener route;
    private final SinkBatcher batcher;
    private final GwpDataFormat gwp;
    private final int holdLimit;

    /**
     * @param route     the consumer route's own listener (Camel's), for everything this one does not store
     * @param gwp       the {@code gwp} data format the route unmarshals with: the same limits
     * @param holdLimit done deliveries held behind an unfinished one ({@link ManualAck#holdLimit}, as the route's)
     */
    ConsumedEvents(ChannelAwareMessageListener route, SinkBatcher batcher, GwpDataFormat gwp, int holdLimit) {
        this.route = route;
        this.batcher = batcher;
        this.gwp = gwp;
        this.holdLimit = holdLimit;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws Exception {
        StoredEvent event = eventIn(message);
        if (event == null) {
            route.onMessage(message, channel);
            return;
        }
        ChannelAcks acks = ManualAck.acksOf(channel, holdLimit);
        if (acks == null) {
            return; // its channel closed meanwhile: the broker has requeued it and delivers it again
        }
        long deliveryTag = message.getMessageProperties().getDeliveryTag();
        acks.register(deliveryTag);
        batcher.submit(event).whenComplete((stored, failure) -> {
            if (failure == null) {
                ManualAck.succeeded(acks, deliveryTag);
            } else {
                toRoute(message, channel, acks, failure);
            }
        });
    }

    /** The event in a message body that is one well-formed EVENT; null for anything else (the route's). */
    private StoredEvent eventIn(Message message) {
        try {
            if (gwp.decode(ByteBuffer.wrap(message.getBody())) instanceof Envelope envelope
                    && envelope.type() == FrameType.EVENT) {
                return EventStoreProcessor.event(envelope.messageId(), envelope.routingKey(), envelope.contentType(),
                        envelope.timestamp(), envelope.attributes(), envelope.payloadBytes());
            }
        } catch (RuntimeException | MalformedFrameException e) {
            // the route decodes it again and dead-letters it with the reason
        }
        return null;
    }

    /**
     * An event whose batch failed goes through the route, on the thread that completed the batch
     * (or the listener thread when the batcher refused it at once). The route acks or requeues it.
     */
    private void toRoute(Message message, Channel channel, ChannelAcks acks, Throwable failure) {
        long deliveryTag = message.getMessageProperties().getDeliveryTag();
        LOG.debug("Message {}: its batch failed ({}); the consumer route takes it", deliveryTag, failure.toString());
        try {
            route.onMessage(message, channel);
        } catch (Exception e) {
            // the route runs asynchronously from Camel's listener, which so throws only for a failure
            // before the route (making the exchange) or, were the route ever run synchronously, for
            // an exchange that failed, which the route has requeued then (ManualAck.onFailure):
            // either way the delivery is requeued once
            LOG.debug("Camel's listener failed message {}: {}", deliveryTag, e.toString());
            acks.failedIfUnfinished(deliveryTag);
        }
    }
}

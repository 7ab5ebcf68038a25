package io.gamewire.sinks;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges a consumed message when its exchange completes, whenever that is: the consumer
 * routes run asynchronously ({@code acknowledgeMode=MANUAL&asyncConsumer=true}), so the listener
 * thread goes on to the next message while this one waits for its batch ({@link SinkBatcher}).
 * A completed exchange (stored, answered or dead-lettered) is acked; a failed one is nacked back to
 * its queue. Unacknowledged messages are bounded by the consumer's prefetch.
 *
 * <p>If the channel closed meanwhile (a stopping consumer, a lost connection), the broker has
 * already put the message back and will deliver it again; its writes are idempotent.
 */
public final class ManualAck extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ManualAck.class);

    private final Channel channel;
    private final long deliveryTag;

    private ManualAck(Channel channel, long deliveryTag) {
        this.channel = channel;
        this.deliveryTag = deliveryTag;
    }

    /** The consumer route's first step: the message is acked or nacked when the exchange is done. */
    public static void register(Exchange exchange) {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        if (channel == null || tag == null) {
            throw new IllegalStateException("consumer route without a channel or delivery tag: it must consume"
                    + " from spring-rabbitmq with acknowledgeMode=MANUAL");
        }
        // Spring hands out a caching proxy that silently opens a fresh channel when its channel
        // closed (a consumer scaled down or lost its connection); an ack of this delivery on that
        // fresh channel would be an unknown delivery tag and close it. Ack on the very channel the
        // message came on, which fails harmlessly once closed: the broker has requeued the message.
        if (channel instanceof ChannelProxy proxy) {
            channel = proxy.getTargetChannel();
        }
        exchange.getExchangeExtension().addOnCompletion(new ManualAck(channel, tag));
    }

    @Override
    public void onComplete(Exchange exchange) {
        if (!channel.isOpen()) {
            LOG.debug("Message {} done after its channel closed; the broker delivers it again", deliveryTag);
            return;
        }
        try {
            channel.basicAck(deliveryTag, false);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not ack message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
    }

    @Override
    public void onFailure(Exchange exchange) {
        if (!channel.isOpen()) {
            return; // the broker requeued it when the channel closed
        }
        try {
            channel.basicNack(deliveryTag, false, true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not nack message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
    }
}

package io.gamewire.sinks;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

/**
 * Acknowledges a consumed message when its exchange completes, whenever that is: the consumer
 * routes run asynchronously ({@code acknowledgeMode=MANUAL&asyncConsumer=true}), so the listener
 * thread goes on to the next message while this one waits for its batch ({@link SinkBatcher}).
 * A completed exchange (stored, answered or dead-lettered) is acked; a failed one is nacked back to
 * its queue. Unacknowledged messages are bounded by the consumer's prefetch.
 *
 * <p>The acks of a channel are coalesced ({@link ChannelAcks}): the messages of a batch that
 * {@link SinkBatcher} completes in {@link #acksAfter} are acked together at its end, in one
 * {@code basic.ack} per channel with {@code multiple=true}, once every earlier delivery of that
 * channel is done too. Elsewhere (answers, dead letters) a completion sends what is due at once.
 *
 * <p>If the channel closed meanwhile (a stopping consumer, a lost connection), the broker has
 * already put the message back and will deliver it again; its writes are idempotent.
 */
public final class ManualAck extends SynchronizationAdapter {

    /** Done deliveries held back behind an unfinished one are acked alone after this long without progress. */
    static final long RELEASE_AFTER_MS = 200;

    /**
     * The ack state of each open consumer channel (a channel is equal only to itself); an entry
     * goes when its channel shuts down.
     */
    private static final Map<Channel, ChannelAcks> CHANNELS = new ConcurrentHashMap<>();
    /** The channels whose acks this thread defers until its {@link #acksAfter} ends. */
    private static final ThreadLocal<Set<ChannelAcks>> DEFERRED = new ThreadLocal<>();

    private final ChannelAcks acks;
    private final long deliveryTag;

    private ManualAck(ChannelAcks acks, long deliveryTag) {
        this.acks = acks;
        this.deliveryTag = deliveryTag;
    }

    /** One daemon thread for every channel's release of held-back acks; started when first needed. */
    private static final class Releases {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gw-ack-release");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The consumer route's first step: the message is acked or nacked when the exchange is done. */
    public static void register(Exchange exchange) {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        if (channel == null || tag == null) {
            throw new IllegalStateException("consumer route without a channel or delivery tag: it must consume"
                    + " from spring-rabbitmq with acknowledgeMode=MANUAL");
        }
        ChannelAcks acks = acksOf(channel, exchange.getFromEndpoint() instanceof SpringRabbitMQEndpoint endpoint
                ? holdLimit(endpoint.getPrefetchCount()) : 0);
        if (acks == null) {
            // closed for good meanwhile: the broker has requeued the message and delivers it again;
            // its writes now are idempotent, and nothing is acked
            return;
        }
        if (!acks.register(tag)) {
            // an event ConsumedEvents took and tried to store in a batch that failed: that attempt
            // is counted in the dead letter's attempts
            exchange.setProperty(DeadLetters.RETRIES, 1);
        }
        exchange.getExchangeExtension().addOnCompletion(new ManualAck(acks, tag));
    }

    /** Half the prefetch may wait behind a slow message before those are acked one by one. */
    static int holdLimit(Integer prefetch) {
        return prefetch == null ? 0 : prefetch / 2;
    }

    /**
     * The ack state of the channel a message came on, made when first needed; null when that
     * channel has closed for good (the broker has requeued its messages).
     *
     * @param holdLimit done deliveries held behind an unfinished one before they are acked alone
     */
    static ChannelAcks acksOf(Channel channel, int holdLimit) {
        // Spring hands out a caching proxy that silently opens a fresh channel when its channel
        // closed (a consumer scaled down or lost its connection); an ack of this delivery on that
        // fresh channel would be an unknown delivery tag and close it. Ack on the very channel the
        // message came on, which fails harmlessly once closed: the broker has requeued the message.
        if (channel instanceof ChannelProxy proxy) {
            channel = proxy.getTargetChannel();
            if (channel == null) {
                return null; // closed for good meanwhile: Spring dropped the target
            }
        }
        ChannelAcks acks = CHANNELS.get(channel);
        return acks != null ? acks
                : track(channel, new ChannelAcks(new ChannelWire(channel), holdLimit, Releases.TIMER, RELEASE_AFTER_MS));
    }

    /** The channel's ack state from now until it shuts down (at once if it is closed already). */
    private static ChannelAcks track(Channel channel, ChannelAcks made) {
        ChannelAcks first = CHANNELS.putIfAbsent(channel, made);
        if (first != null) {
            return first; // another listener thread of the same channel was quicker
        }
        channel.addShutdownListener(cause -> CHANNELS.remove(channel, made));
        return made;
    }

    /**
     * Runs the completions of a batch; the acks they make wait until it ends, then go out as one
     * {@code basic.ack} per channel.
     */
    public static void acksAfter(Runnable completions) {
        if (DEFERRED.get() != null) {
            completions.run(); // already inside: the outer one sends
            return;
        }
        Set<ChannelAcks> deferred = Collections.newSetFromMap(new IdentityHashMap<>());
        DEFERRED.set(deferred);
        try {
            completions.run();
        } finally {
            DEFERRED.remove();
            deferred.forEach(ChannelAcks::flush);
        }
    }

    @Override
    public void onComplete(Exchange exchange) {
        succeeded(acks, deliveryTag);
    }

    /**
     * A delivery is done: acked with the rest of its batch at the end of {@link #acksAfter} when
     * inside it, else as soon as the deliveries before it are done.
     */
    static void succeeded(ChannelAcks acks, long deliveryTag) {
        Set<ChannelAcks> deferred = DEFERRED.get();
        if (deferred != null) {
            deferred.add(acks);
        }
        acks.succeeded(deliveryTag, deferred != null);
    }

    @Override
    public void onFailure(Exchange exchange) {
        acks.failed(deliveryTag);
    }

    /** The acks on the channel itself; nothing is sent on a closed one (the broker requeued its messages). */
    private record ChannelWire(Channel channel) implements ChannelAcks.Wire {
        @Override
        public void ack(long deliveryTag, boolean multiple) throws IOException {
            if (channel.isOpen()) {
                channel.basicAck(deliveryTag, multiple);
            }
        }

        @Override
        public void requeue(long deliveryTag) throws IOException {
            if (channel.isOpen()) {
                channel.basicNack(deliveryTag, false, true);
            }
        }
    }
}

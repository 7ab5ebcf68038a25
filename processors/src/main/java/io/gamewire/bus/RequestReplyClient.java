package io.gamewire.bus;

import io.gamewire.camel.NamedThreads;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/response over AMQP: a REQUEST envelope is published to the events exchange with
 * {@code reply-to} set to this instance's reply queue and {@code correlation-id} set to its message
 * id; the service that answers sends a REPLY there, and the pending request with that correlation
 * id completes.
 *
 * <p>The reply queue is exclusive and server-named, declared by this instance on its own connection
 * (never RabbitMQ's direct reply-to, which the embedded broker lacks: docs/ARCHITECTURE.md, "One bus, two
 * brokers"). When that connection breaks the queue is gone: every pending request fails at once
 * and a new queue is declared on the next request.
 *
 * <p>The table of pending requests is bounded: over {@code maxPending} a request is refused at
 * once; every entry leaves the table on its reply, its timeout or its publish failure, so replies
 * that never come leak nothing. A late reply (after the timeout) is dropped with a debug line.
 */
public final class RequestReplyClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestReplyClient.class);

    private final ConnectionFactory factory;
    private final EnvelopePublisher publisher;
    private final EnvelopeCodec codec;
    private final int maxPending;
    private final Map<String, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timeouts;
    private final ReentrantLock replyQueueLock = new ReentrantLock();
    private volatile Connection connection;
    private volatile Channel channel;
    private volatile String replyQueue;
    private volatile boolean closed;

    /**
     * @param codec      decodes replies, with the bus limits
     * @param maxPending requests that may wait for replies at once in this instance
     */
    public RequestReplyClient(ConnectionFactory factory, EnvelopePublisher publisher, EnvelopeCodec codec,
                              int maxPending) {
        this(factory, publisher, codec, maxPending, NamedThreads.PLAIN);
    }

    /** @param threads where the timeout timer's thread comes from ({@link NamedThreads#of} in the application) */
    public RequestReplyClient(ConnectionFactory factory, EnvelopePublisher publisher, EnvelopeCodec codec,
                              int maxPending, NamedThreads threads) {
        this.factory = factory;
        this.publisher = publisher;
        this.codec = codec;
        this.maxPending = maxPending;
        this.timeouts = new ScheduledThreadPoolExecutor(1, threads.single("gamewire-request-timeouts"));
        this.timeouts.setRemoveOnCancelPolicy(true);
    }

    /**
     * Sends {@code request} (a REQUEST envelope) and waits for its reply, without a thread.
     *
     * @return the REPLY; fails with a {@link RequestFailedException}: {@code TIMEOUT} after
     *         {@code timeout}, {@code OVERLOADED} when too many requests are pending,
     *         {@code DUPLICATE_ID} when its id is already waiting, {@code NOT_PUBLISHED} when the
     *         request could not be published
     */
    public CompletableFuture<Envelope> request(Envelope request, Duration timeout) {
        if (request.type() != FrameType.REQUEST) {
            throw new IllegalArgumentException("not a REQUEST: " + request.type());
        }
        if (closed) {
            return CompletableFuture.failedFuture(new RequestFailedException(RequestFailedException.Reason.NOT_PUBLISHED, "gamewire is stopping"));
        }
        String queue;
        try {
            queue = replyQueue();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new RequestFailedException(RequestFailedException.Reason.NOT_PUBLISHED,
                    "cannot declare the reply queue on the AMQP broker: " + e.getMessage(), e));
        }
        String correlationId = request.messageId().toString();
        CompletableFuture<Envelope> reply = new CompletableFuture<>();
        // size() first, then putIfAbsent: the bound may be passed by a few under a race, never by many
        if (pending.size() >= maxPending) {
            return CompletableFuture.failedFuture(new RequestFailedException(RequestFailedException.Reason.OVERLOADED, pending.size()
                    + " requests already wait for replies, the limit is " + maxPending
                    + " (gamewire.requests.max-pending); retry later"));
        }
        if (pending.putIfAbsent(correlationId, reply) != null) {
            return CompletableFuture.failedFuture(new RequestFailedException(RequestFailedException.Reason.DUPLICATE_ID,
                    "request " + correlationId + " is already waiting for its reply; a new request needs a new message id"));
        }
        ScheduledFuture<?> timer = timeouts.schedule(() -> reply.completeExceptionally(new RequestFailedException(
                RequestFailedException.Reason.TIMEOUT, "no reply to " + request.routingKey() + " within " + timeout.toMillis()
                + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((ok, failure) -> {
            timer.cancel(false);
            pending.remove(correlationId, reply);
        });
        publisher.publishRequest(request, queue).whenComplete((ok, failure) -> {
            if (failure != null) {
                reply.completeExceptionally(new RequestFailedException(RequestFailedException.Reason.NOT_PUBLISHED,
                        "the request was not published: " + failure.getMessage(), failure));
            }
        });
        return reply;
    }

    /** Requests waiting for their replies. */
    public int pending() {
        return pending.size();
    }

    /** Declares the reply queue now, so that a broker that refuses it shows at start. */
    public void start() throws IOException {
        replyQueue();
    }

    /** The reply queue's name, declaring it (and consuming from it) if there is none. */
    private String replyQueue() throws IOException {
        String queue = replyQueue;
        if (queue != null && channel != null && channel.isOpen()) {
            return queue;
        }
        replyQueueLock.lock();
        try {
            if (replyQueue != null && channel != null && channel.isOpen()) {
                return replyQueue;
            }
            if (connection == null || !connection.isOpen()) {
                connection = AmqpConnections.open(factory, "gamewire-replies");
            }
            Channel opened = connection.createChannel();
            // server-named, exclusive to this connection, deleted with it
            String name = opened.queueDeclare("", false, true, true, null).getQueue();
            opened.addShutdownListener(this::replyChannelClosed);
            opened.basicConsume(name, true, (tag, delivery) -> replied(delivery), tag -> { });
            channel = opened;
            replyQueue = name;
            LOG.debug("Reply queue {} declared", name);
            return name;
        } finally {
            replyQueueLock.unlock();
        }
    }

    private void replied(Delivery delivery) {
        AMQP.BasicProperties properties = delivery.getProperties();
        String correlationId = properties == null ? null : properties.getCorrelationId();
        CompletableFuture<Envelope> reply = correlationId == null ? null : pending.get(correlationId);
        if (reply == null) {
            LOG.debug("Dropping a reply for {}: no request waits for it (timed out, or not ours)", correlationId);
            return;
        }
        try {
            Frame frame = codec.decode(ByteBuffer.wrap(delivery.getBody()));
            if (frame instanceof Envelope envelope && envelope.type() == FrameType.REPLY) {
                reply.complete(envelope);
            } else {
                reply.completeExceptionally(new IllegalStateException("the reply to " + correlationId
                        + " is a " + frame.type() + ", not a REPLY"));
            }
        } catch (MalformedFrameException | RuntimeException e) {
            reply.completeExceptionally(new IllegalStateException("the reply to " + correlationId
                    + " is not a GWP REPLY: " + e.getMessage(), e));
        }
    }

    private void replyChannelClosed(ShutdownSignalException cause) {
        replyQueue = null;
        if (!cause.isInitiatedByApplication()) {
            LOG.warn("Reply queue lost ({}): {} pending request(s) fail", cause.getMessage(), pending.size());
        }
        failPending("the reply queue closed before the reply came: " + cause.getMessage());
    }

    private void failPending(String reason) {
        for (String id : new ArrayList<>(pending.keySet())) {
            CompletableFuture<Envelope> reply = pending.remove(id);
            if (reply != null) {
                reply.completeExceptionally(new RequestFailedException(RequestFailedException.Reason.NOT_PUBLISHED, reason));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        failPending("gamewire is stopping");
        Connection current = connection;
        if (current != null && current.isOpen()) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the reply connection: {}", e.toString());
            }
        }
        timeouts.shutdownNow();
    }
}

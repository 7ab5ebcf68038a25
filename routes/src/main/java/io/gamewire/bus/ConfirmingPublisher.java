package io.gamewire.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to the bus with publisher confirms, asynchronously: {@link #publish} returns at once
 * with a future that completes when the broker confirmed the message (ACK to a TCP client, 202 to
 * an HTTP client) or fails when the broker refused it, the channel broke or no confirm came within
 * the timeout. Callers never wait for a confirm with a thread, so thousands of events can be
 * unconfirmed at once: that is what makes pipelined TCP ingest fast.
 *
 * <p>Why not Camel's spring-rabbitmq producer: with {@code confirm=enabled} it holds the calling
 * thread until its one message is confirmed, and a publish on a blocked connection would hold a
 * Netty event loop. Here every publish runs on one of a few lane threads, each owning a channel in
 * confirm mode; sequence numbers map confirms to futures ({@code multiple} confirms complete a
 * range).
 *
 * <p>Flow control: when the broker blocks publishers ({@code connection.blocked}, RabbitMQ's memory
 * or disk alarm) the listeners given to {@link #onBlockedChange} are told, so translators stop
 * reading from their sockets instead of queueing without bound.
 *
 * <p>A broken connection fails every unconfirmed future (the client resends) and is re-opened on
 * the next publish.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);

    private final ConnectionFactory factory;
    private final String connectionName;
    private final long confirmTimeoutMs;
    private final Lane[] lanes;
    private final AtomicInteger next = new AtomicInteger();
    /** Fails publishes whose confirm never comes; cancelled timers are removed at once, not kept. */
    private final ScheduledThreadPoolExecutor timeouts;
    private final ReentrantLock connectionLock = new ReentrantLock();
    private final AtomicBoolean blocked = new AtomicBoolean();
    private final List<BlockedChangeListener> blockedListeners = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile boolean closed;

    /** Told when the broker starts or stops blocking publishers. */
    @FunctionalInterface
    public interface BlockedChangeListener {
        void blockedChanged(boolean blocked, String reason);
    }

    /**
     * @param factory          the AMQP connection settings (host, credentials, virtual host)
     * @param connectionName   shown in the broker's management tools
     * @param lanes            channels, each with its own thread; 2 keep a 2-core machine busy
     * @param confirmTimeoutMs how long a publish waits for its confirm before it fails
     */
    public ConfirmingPublisher(ConnectionFactory factory, String connectionName, int lanes, long confirmTimeoutMs) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, not " + lanes);
        }
        this.factory = factory;
        this.connectionName = connectionName;
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.lanes = new Lane[lanes];
        this.timeouts = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gamewire-publisher-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        this.timeouts.setRemoveOnCancelPolicy(true);
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(i);
        }
    }

    /**
     * Publishes one message.
     *
     * @return completes when the broker confirmed it; fails with {@link PublishFailedException}
     */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                           byte[] body) {
        if (closed) {
            return CompletableFuture.failedFuture(new PublishFailedException("the publisher is closed"));
        }
        Lane lane = lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        lane.executor.execute(() -> lane.publish(exchange, routingKey, properties, body, confirmed));
        return confirmed;
    }

    /** True while the broker blocks publishers. */
    public boolean isBlocked() {
        return blocked.get();
    }

    public void onBlockedChange(BlockedChangeListener listener) {
        blockedListeners.add(listener);
    }

    /** Unconfirmed messages over all lanes. */
    public int unconfirmed() {
        int total = 0;
        for (Lane lane : lanes) {
            total += lane.outstanding.size();
        }
        return total;
    }

    /** Opens the connection now, so that an unreachable broker shows at start, not at the first event. */
    public void connect() throws IOException {
        connection();
    }

    private Connection connection() throws IOException {
        Connection current = connection;
        if (current != null && current.isOpen()) {
            return current;
        }
        connectionLock.lock();
        try {
            if (connection != null && connection.isOpen()) {
                return connection;
            }
            Connection opened = factory.newConnection(connectionName);
            opened.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    setBlocked(true, reason);
                }

                @Override
                public void handleUnblocked() {
                    setBlocked(false, null);
                }
            });
            opened.addShutdownListener(cause -> setBlocked(false, null));
            connection = opened;
            return opened;
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to the AMQP broker at " + factory.getHost() + ":"
                    + factory.getPort(), e);
        } finally {
            connectionLock.unlock();
        }
    }

    private void setBlocked(boolean nowBlocked, String reason) {
        if (blocked.getAndSet(nowBlocked) != nowBlocked) {
            if (nowBlocked) {
                LOG.warn("The AMQP broker blocks publishers ({}): translators stop reading until it unblocks", reason);
            } else {
                LOG.info("The AMQP broker accepts publishes again");
            }
            for (BlockedChangeListener listener : blockedListeners) {
                listener.blockedChanged(nowBlocked, reason);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes) {
            lane.executor.shutdown();
        }
        for (Lane lane : lanes) {
            try {
                lane.executor.awaitTermination(confirmTimeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Connection current = connection;
        if (current != null && current.isOpen()) {
            try {
                // waits for outstanding confirms of the lanes' channels up to the timeout
                current.close((int) Math.min(Integer.MAX_VALUE, confirmTimeoutMs));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the publisher connection: {}", e.toString());
            }
        }
        for (Lane lane : lanes) {
            lane.failAll(new PublishFailedException("the publisher closed before the broker confirmed"));
        }
        timeouts.shutdownNow();
    }

    /** One channel in confirm mode and the thread that publishes on it. */
    private final class Lane {
        private final ExecutorService executor;
        /** Unconfirmed publishes by delivery tag (the channel's publish sequence number). */
        private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> outstanding = new ConcurrentSkipListMap<>();
        private Channel channel;

        Lane(int index) {
            this.executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "gamewire-publisher-" + index);
                thread.setDaemon(true);
                return thread;
            });
        }

        /** Runs on the lane's thread only. */
        void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                     CompletableFuture<Void> confirmed) {
            long tag = -1;
            try {
                Channel open = channel();
                tag = open.getNextPublishSeqNo();
                outstanding.put(tag, confirmed);
                long forget = tag;
                ScheduledFuture<?> timer = timeouts.schedule(() -> confirmed.completeExceptionally(
                        new PublishFailedException("the broker did not confirm within " + confirmTimeoutMs
                                + " ms (gamewire.bus.confirm-timeout-ms)")), confirmTimeoutMs, TimeUnit.MILLISECONDS);
                confirmed.whenComplete((ok, failure) -> {
                    timer.cancel(false);
                    outstanding.remove(forget, confirmed);
                });
                open.basicPublish(exchange, routingKey, false, properties, body);
            } catch (IOException | RuntimeException e) {
                if (tag >= 0) {
                    outstanding.remove(tag);
                }
                confirmed.completeExceptionally(new PublishFailedException("publish to '" + exchange + "' with key '"
                        + routingKey + "' failed: " + e.getMessage(), e));
            }
        }

        private Channel channel() throws IOException {
            if (channel != null && channel.isOpen()) {
                return channel;
            }
            Channel opened = connection().createChannel();
            if (opened == null) {
                throw new IOException("the AMQP broker has no channel left");
            }
            opened.confirmSelect();
            opened.addConfirmListener((tag, multiple) -> confirm(tag, multiple, null),
                    (tag, multiple) -> confirm(tag, multiple, "the broker refused the message (basic.nack)"));
            opened.addShutdownListener(this::channelClosed);
            channel = opened;
            return opened;
        }

        private void confirm(long tag, boolean multiple, String refusal) {
            Map<Long, CompletableFuture<Void>> done = multiple ? outstanding.headMap(tag, true) : null;
            if (done == null) {
                CompletableFuture<Void> one = outstanding.remove(tag);
                complete(one, refusal);
                return;
            }
            for (Long each : new ArrayList<>(done.keySet())) {
                complete(outstanding.remove(each), refusal);
            }
        }

        private void complete(CompletableFuture<Void> future, String refusal) {
            if (future == null) {
                return;
            }
            if (refusal == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(new PublishFailedException(refusal));
            }
        }

        private void channelClosed(ShutdownSignalException cause) {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("Publisher channel closed: {}; {} unconfirmed message(s) fail and will be resent by their "
                        + "clients", cause.getMessage(), outstanding.size());
            }
            failAll(new PublishFailedException("the AMQP channel closed before the broker confirmed: "
                    + cause.getMessage(), cause));
        }

        void failAll(PublishFailedException failure) {
            for (Long tag : new ArrayList<>(outstanding.keySet())) {
                CompletableFuture<Void> future = outstanding.remove(tag);
                if (future != null) {
                    future.completeExceptionally(failure);
                }
            }
        }
    }

    /** The broker did not confirm a message: it refused it, the connection broke, or time ran out. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message) {
            super(message);
        }

        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

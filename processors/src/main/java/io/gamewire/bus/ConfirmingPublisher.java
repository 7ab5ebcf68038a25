package io.gamewire.bus;

import io.gamewire.camel.NamedThreads;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * range), which {@link UnconfirmedPublishes} keeps for each lane.
 *
 * <p>Order: a publish with a {@link PublishOrder} ({@link #openOrder()}) goes to that order's lane,
 * whose one thread publishes on one channel in the order the publishes were handed over, so the
 * broker receives and routes them in that order; a publish without one ({@link PublishOrder#NONE})
 * takes the next lane, and publishes on different lanes reach the broker in any order. Each lane
 * confirms on its own, so a future of a later publish may complete before an earlier one's. An
 * order that {@linkplain PublishOrder#hold() holds} hands its publishes to its lane together.
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
    /** Where {@link #openOrder()} starts looking for the lane with the fewest open orders. */
    private int nextOrderLane;
    /** Sweeps the lanes for publishes whose confirm never came. */
    private final ScheduledThreadPoolExecutor timeouts;
    /** Lanes whose connection the broker blocks; publishers count as blocked while any is. */
    private final java.util.Set<Integer> blockedLanes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicBoolean blocked = new AtomicBoolean();
    private final List<BlockedChangeListener> blockedListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Told of each message the broker confirmed (the operations' traffic counting), on the thread that took the confirm. */
    @FunctionalInterface
    public interface ConfirmedListener {
        void confirmed(String exchange, String routingKey, AMQP.BasicProperties properties, int bytes);
    }

    private final List<ConfirmedListener> confirmedListeners = new CopyOnWriteArrayList<>();

    /** Told when the broker starts or stops blocking publishers. */
    @FunctionalInterface
    public interface BlockedChangeListener {
        void blockedChanged(boolean blocked, String reason);
    }

    /**
     * @param factory          the AMQP connection settings (host, credentials, virtual host)
     * @param connectionName   shown in the broker's management tools
     * @param lanes            connections, each with one channel and its own thread
     * @param confirmTimeoutMs how long a publish waits for its confirm before it fails
     */
    public ConfirmingPublisher(ConnectionFactory factory, String connectionName, int lanes, long confirmTimeoutMs) {
        this(factory, connectionName, lanes, confirmTimeoutMs, NamedThreads.PLAIN);
    }

    /** @param threads where the lanes' and the timeout timer's threads come from ({@link NamedThreads#of} in the application) */
    public ConfirmingPublisher(ConnectionFactory factory, String connectionName, int lanes, long confirmTimeoutMs,
                               NamedThreads threads) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, not " + lanes);
        }
        this.factory = factory;
        this.connectionName = connectionName;
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.lanes = new Lane[lanes];
        this.timeouts = new ScheduledThreadPoolExecutor(1, threads.single("gamewire-publisher-timeouts"));
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(i, threads);
        }
        long sweepMs = Math.max(10, Math.min(100, confirmTimeoutMs / 10));
        this.timeouts.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (Lane lane : this.lanes) {
                lane.unconfirmed.failOverdue(now);
            }
        }, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes one message on the next lane, keeping no order with other publishes.
     *
     * @return completes when the broker confirmed it; fails with {@link PublishFailedException}
     */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                           byte[] body) {
        return publish(PublishOrder.NONE, exchange, routingKey, properties, body);
    }

    /**
     * Publishes one message on the lane of {@code order}: after every publish handed over before
     * with the same order, and before every one handed over after it ({@link PublishOrder#NONE}: on
     * the next lane, as {@link #publish(String, String, AMQP.BasicProperties, byte[])}).
     *
     * @return completes when the broker confirmed it; fails with {@link PublishFailedException}
     */
    public CompletableFuture<Void> publish(PublishOrder order, String exchange, String routingKey,
                                           AMQP.BasicProperties properties, byte[] body) {
        if (closed) {
            return CompletableFuture.failedFuture(new PublishFailedException("the publisher is closed"));
        }
        Lane lane = lanes[Math.floorMod(order.lane() >= 0 ? order.lane() : next.getAndIncrement(), lanes.length)];
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        Runnable counted = confirmedListeners.isEmpty() ? null
                : () -> tellConfirmed(exchange, routingKey, properties, body.length);
        Runnable publishing = () -> lane.publish(exchange, routingKey, properties, body, confirmed, counted);
        if (!order.held(publishing, confirmed)) {
            lane.executor.execute(publishing);
        }
        return confirmed;
    }

    /** Runs on the thread that took the confirm, before the publish's future completes. */
    private void tellConfirmed(String exchange, String routingKey, AMQP.BasicProperties properties, int bytes) {
        for (ConfirmedListener listener : confirmedListeners) {
            try {
                listener.confirmed(exchange, routingKey, properties, bytes);
            } catch (RuntimeException e) {
                // counting must never change what the caller is told
                LOG.warn("A confirmed-publish listener failed on {}: {}", routingKey, e.toString());
            }
        }
    }

    /**
     * A new order for one source whose publishes must reach the broker in the order they are made
     * (a TCP connection, an HTTP batch, a pull run): on the lane that the fewest open orders share
     * (of those, the one after the last lane given), so sources spread evenly over the lanes. Close
     * it when the source ends.
     */
    public synchronized PublishOrder openOrder() {
        Lane fewest = null;
        for (int i = 0; i < lanes.length; i++) {
            Lane lane = lanes[(nextOrderLane + i) % lanes.length];
            if (fewest == null || lane.openOrders.get() < fewest.openOrders.get()) {
                fewest = lane;
            }
        }
        nextOrderLane = (fewest.index + 1) % lanes.length;
        fewest.openOrders.incrementAndGet();
        return new PublishOrder(fewest.index, fewest.openOrders::decrementAndGet, fewest.executor);
    }

    /** The open orders ({@link #openOrder()}) on each lane, by lane index. */
    int[] openOrders() {
        int[] counts = new int[lanes.length];
        for (Lane lane : lanes) {
            counts[lane.index] = lane.openOrders.get();
        }
        return counts;
    }

    /** Adds a listener told of every confirmed publish from now on. */
    public void onConfirmed(ConfirmedListener listener) {
        confirmedListeners.add(listener);
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
            total += lane.unconfirmed.size();
        }
        return total;
    }

    /** Opens the connections now, so that an unreachable broker shows at start, not at the first event. */
    public void connect() throws IOException {
        for (Lane lane : lanes) {
            lane.connection();
        }
    }

    private void setBlocked(int lane, boolean laneBlocked, String reason) {
        if (laneBlocked) {
            blockedLanes.add(lane);
        } else {
            blockedLanes.remove(lane);
        }
        boolean nowBlocked = !blockedLanes.isEmpty();
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
        for (Lane lane : lanes) {
            lane.closeConnection();
        }
        for (Lane lane : lanes) {
            lane.unconfirmed.failAll(new PublishFailedException("the publisher closed before the broker confirmed"));
        }
        timeouts.shutdownNow();
    }

    /**
     * One connection with one channel in confirm mode, and the thread that publishes on it. A
     * connection per lane, because the broker reads each connection in one process and throttles
     * it on its own: one shared connection caps the rate well below what the broker can take.
     */
    private final class Lane {
        private final int index;
        private final ExecutorService executor;
        private final ReentrantLock connectionLock = new ReentrantLock();
        private volatile Connection connection;
        private final UnconfirmedPublishes unconfirmed = new UnconfirmedPublishes(confirmTimeoutMs);
        /** Orders ({@link PublishOrder}) that publish on this lane and are not closed yet. */
        private final AtomicInteger openOrders = new AtomicInteger();
        private Channel channel;

        Lane(int index, NamedThreads threads) {
            this.index = index;
            this.executor = Executors.newSingleThreadExecutor(threads.single("gamewire-publisher-" + index));
        }

        /** Runs on the lane's thread only. */
        void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                     CompletableFuture<Void> confirmed, Runnable onConfirm) {
            long tag = -1;
            try {
                Channel open = channel();
                tag = open.getNextPublishSeqNo();
                unconfirmed.add(tag, confirmed, onConfirm);
                open.basicPublish(exchange, routingKey, false, properties, body);
            } catch (IOException | RuntimeException e) {
                if (tag >= 0) {
                    unconfirmed.forget(tag);
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
            opened.addConfirmListener((tag, multiple) -> unconfirmed.confirm(tag, multiple, null), (tag, multiple) ->
                    unconfirmed.confirm(tag, multiple, "the broker refused the message (basic.nack)"));
            opened.addShutdownListener(this::channelClosed);
            channel = opened;
            return opened;
        }

        Connection connection() throws IOException {
            Connection current = connection;
            if (current != null && current.isOpen()) {
                return current;
            }
            connectionLock.lock();
            try {
                if (connection != null && connection.isOpen()) {
                    return connection;
                }
                Connection opened = AmqpConnections.open(factory, connectionName + "-" + index);
                opened.addBlockedListener(new BlockedListener() {
                    @Override
                    public void handleBlocked(String reason) {
                        setBlocked(index, true, reason);
                    }

                    @Override
                    public void handleUnblocked() {
                        setBlocked(index, false, null);
                    }
                });
                opened.addShutdownListener(cause -> setBlocked(index, false, null));
                connection = opened;
                return opened;
            } finally {
                connectionLock.unlock();
            }
        }

        void closeConnection() {
            Connection current = connection;
            if (current != null && current.isOpen()) {
                try {
                    current.close((int) Math.min(Integer.MAX_VALUE, confirmTimeoutMs));
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Closing publisher connection {}: {}", index, e.toString());
                }
            }
        }

        private void channelClosed(ShutdownSignalException cause) {
            if (!cause.isInitiatedByApplication()) {
                LOG.warn("Publisher channel closed: {}; {} unconfirmed message(s) fail and will be resent by their "
                        + "clients", cause.getMessage(), unconfirmed.size());
            }
            unconfirmed.failAll(new PublishFailedException("the AMQP channel closed before the broker confirmed: "
                    + cause.getMessage(), cause));
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

package io.gamewire.monitor;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.gamewire.bus.AmqpConnections;
import io.gamewire.camel.NamedThreads;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's one listener on the bus: a server-named, exclusive, auto-delete queue of its own,
 * consumed with auto-ack on a connection of its own ({@code gamewire-monitor}), and bound with what
 * its {@linkplain #subscribe subscribers} ask for: the traffic counting of the operations
 * ({@link TrafficRecorder}) asks for {@code #} on the dead-letter exchange, and on the events
 * exchange too with {@code gamewire.ops.monitor.scope=bus}; each live tail for its pattern. Every delivery is handed, on amqp-client's consumer thread, to each
 * subscriber whose pattern and exchange match; so however many tails are open, the broker delivers a
 * message to this instance once. A subscriber must only count or store (a tail rate-limits and
 * buffers; see {@code io.gamewire.monitor.tail.Tail}): it runs on the thread every other subscriber
 * waits for.
 *
 * <p>Bindings are counted: the queue is bound with a pattern while at least one subscriber asks for
 * it, and unbound (on this monitor's own thread, never the caller's: tails close on the HTTP event
 * loop) when the last one leaves or {@linkplain Subscription#pause pauses}. A binding wider than a subscriber's own need costs traffic only,
 * never correctness: each subscriber is matched again in-process.
 *
 * <p>Why auto-ack and not a prefetch: queue arguments that cap a queue's length ({@code x-max-length})
 * are outside the AMQP subset the embedded broker accepts, and with manual acks a slow listener
 * would leave a growing queue on the broker. The subscribers keep up with the broker's delivery
 * rate: counting takes microseconds, and a tail decodes at most its rate limit.
 *
 * <p>When the connection goes (a broker restart, a network cut, the broker closing it) it connects
 * again by itself, after 1 s, then doubling up to 30 s between tries, with a new queue bound with
 * every pattern still asked for: figures for the time in between are missing, nothing else is.
 * Subscribers are told ({@link Subscriber#lost()}): a tail ends, since it cannot show what it
 * missed. A consumer the broker cancels (the queue deleted under it) counts as a lost connection.
 * {@link #isListening()} says whether it is connected now ({@code gamewire_bus_monitor_up}).
 */
public final class BusMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusMonitor.class);
    private static final long RECONNECT_FIRST_MS = 1_000;
    private static final long RECONNECT_MAX_MS = 30_000;

    /** Which exchanges a subscription listens to. */
    public enum Exchanges {
        EVENTS(true, false), DEAD_LETTERS(false, true), BOTH(true, true);

        private final boolean events;
        private final boolean deadLetters;

        Exchanges(boolean events, boolean deadLetters) {
            this.events = events;
            this.deadLetters = deadLetters;
        }

        /** The events exchange, and the dead-letter exchange too when {@code deadLetters}. */
        public static Exchanges events(boolean deadLetters) {
            return deadLetters ? BOTH : EVENTS;
        }
    }

    /** What a subscriber is given: each matching delivery, and whether it came from the dead-letter exchange. */
    @FunctionalInterface
    public interface Subscriber {
        void delivered(Delivery delivery, boolean deadLetter);

        /** The monitor lost its connection: what is published until it is back is not delivered. */
        default void lost() {
        }
    }

    /** One subscriber's interest; {@link #close()} ends it. */
    public final class Subscription implements AutoCloseable {

        private final TopicPattern pattern;
        private final Exchanges exchanges;
        private final Subscriber subscriber;
        /** Whether its bindings are counted in {@code wanted}; guarded by the monitor. */
        private boolean bound = true;
        /** Set from {@link #pause} until the bindings are back: one pause at a time. */
        private final AtomicBoolean pausing = new AtomicBoolean();

        private Subscription(TopicPattern pattern, Exchanges exchanges, Subscriber subscriber) {
            this.pattern = pattern;
            this.exchanges = exchanges;
            this.subscriber = subscriber;
        }

        private List<Binding> bindings() {
            List<Binding> bindings = new ArrayList<>(2);
            if (exchanges.events) {
                bindings.add(new Binding(eventsExchange, pattern));
            }
            if (exchanges.deadLetters) {
                bindings.add(new Binding(deadLetterExchange, pattern));
            }
            return bindings;
        }

        /**
         * Gives its bindings up until the next whole multiple of {@code pause} on the clock (at most
         * {@code pause} from now), off the caller's thread, then takes them again: meanwhile the broker
         * sends this instance nothing for it that no one else asks for. For a subscriber that wants
         * less than the bus sends (a tail over its rate). Pauses end on the clock's boundaries so that
         * subscribers sharing a binding (ten tails of {@code #}) pause and resume together: the binding
         * is then on only for the moments they all want it, not whenever any one of them does. A
         * pause asked for while one lasts is ignored. Deliveries already under way still come.
         */
        public void pause(Duration pause) {
            if (!pausing.compareAndSet(false, true)) {
                return;
            }
            long period = pause.toMillis();
            onWorker(() -> {
                unbind();
                worker.schedule(this::resume, period - Math.floorMod(System.currentTimeMillis(), period),
                        TimeUnit.MILLISECONDS);
            });
        }

        private void resume() {
            synchronized (BusMonitor.this) {
                if (!bound && subscriptions.contains(this)) {
                    try {
                        wantAll(bindings());
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Binding {} again after a pause failed ({}); trying again in 1 s", pattern, e.toString());
                        worker.schedule(this::resume, 1, TimeUnit.SECONDS);
                        return;
                    }
                    bound = true;
                }
            }
            pausing.set(false);
        }

        private void unbind() {
            synchronized (BusMonitor.this) {
                if (bound) {
                    bound = false;
                    unwant(bindings());
                }
            }
        }

        /** Stops the deliveries at once; the queue's binding goes shortly after, off the caller's thread. */
        @Override
        public void close() {
            if (subscriptions.remove(this)) {
                onWorker(this::unbind);
            }
        }
    }

    private record Binding(String exchange, TopicPattern pattern) {
    }

    private final ConnectionFactory factory;
    private final String eventsExchange;
    private final String deadLetterExchange;
    /** Reconnects and unbinds, so that neither ever runs on a caller's thread. */
    private final ScheduledExecutorService worker;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** How many subscriptions ask for each binding; guarded by {@code this}, as are the two below. */
    private final Map<Binding, Integer> wanted = new HashMap<>();
    private Channel bindChannel;
    private volatile Connection connection;
    private volatile String queue;
    private volatile boolean closed;

    public BusMonitor(ConnectionFactory factory, String eventsExchange, String deadLetterExchange, NamedThreads threads) {
        this.worker = Executors.newSingleThreadScheduledExecutor(threads.single("gamewire-monitor"));
        this.factory = factory;
        this.eventsExchange = eventsExchange;
        this.deadLetterExchange = deadLetterExchange;
    }

    /** Declares the listener's queue and starts consuming from it, bound with what is subscribed so far. */
    public void start() throws IOException {
        listen();
    }

    /**
     * Hands every message matching {@code pattern} on {@code exchanges} to {@code subscriber},
     * binding the queue with the pattern first if no one asked for it yet.
     *
     * @throws IOException when the broker refuses the binding; nothing is subscribed then
     */
    public Subscription subscribe(TopicPattern pattern, Exchanges exchanges, Subscriber subscriber) throws IOException {
        Subscription subscription = new Subscription(pattern, exchanges, subscriber);
        synchronized (this) {
            wantAll(subscription.bindings());
            subscriptions.add(subscription);
        }
        return subscription;
    }

    /** Every binding of a subscription, or (when the broker refuses one) none of them. Called holding {@code this}. */
    private void wantAll(List<Binding> bindings) throws IOException {
        for (int i = 0; i < bindings.size(); i++) {
            try {
                want(bindings.get(i));
            } catch (IOException | RuntimeException e) {
                unwant(bindings.subList(0, i));
                throw e;
            }
        }
    }

    /** Runs {@code work} on the monitor's thread: bindings never change on a caller's (an event loop's). */
    private void onWorker(Runnable work) {
        try {
            worker.execute(work);
        } catch (RejectedExecutionException e) {
            // closed: the queue goes with the connection
        }
    }

    private void want(Binding binding) throws IOException {
        int count = wanted.merge(binding, 1, Integer::sum);
        Channel channel = count == 1 ? bindChannel() : null;
        if (channel != null) {
            try {
                channel.queueBind(queue, binding.exchange(), binding.pattern().toString());
            } catch (IOException | RuntimeException e) {
                wanted.merge(binding, -1, Integer::sum);
                wanted.remove(binding, 0);
                throw e;
            }
        }
    }

    private void unwant(List<Binding> bindings) {
        for (Binding binding : bindings) {
            Integer left = wanted.merge(binding, -1, Integer::sum);
            if (left != null && left <= 0) {
                wanted.remove(binding);
                Channel channel = bindChannel();
                if (channel != null) {
                    try {
                        channel.queueUnbind(queue, binding.exchange(), binding.pattern().toString());
                    } catch (IOException | RuntimeException e) {
                        // the in-process match keeps it from anyone; a new connection binds afresh
                        LOG.debug("Unbinding {} from {}: {}", binding.pattern(), binding.exchange(), e.toString());
                    }
                }
            }
        }
    }

    /**
     * The channel for binds and unbinds, opened again when the broker closed it (a refused bind closes
     * the channel, not the connection); null while the monitor has no connection. Called holding {@code this}.
     */
    private Channel bindChannel() {
        Connection open = connection;
        if (open == null || !open.isOpen()) {
            return null;
        }
        if (bindChannel == null || !bindChannel.isOpen()) {
            try {
                bindChannel = open.createChannel();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Opening the bus monitor's binding channel: {}", e.toString());
                return null;
            }
        }
        return bindChannel;
    }

    private synchronized void listen() throws IOException {
        if (closed) {
            return;
        }
        Connection opened = AmqpConnections.open(factory, "gamewire-monitor");
        try {
            listenOn(opened);
        } catch (IOException | RuntimeException e) {
            opened.abort();
            throw e;
        }
        connection = opened;
        // added once listening: a connection lost from now on is connected again
        opened.addShutdownListener(cause -> {
            if (!closed) {
                LOG.warn("Bus monitor lost its connection ({}); connecting again", cause.getMessage());
                for (Subscription subscription : subscriptions) {
                    subscription.subscriber.lost();
                }
                reconnect(RECONNECT_FIRST_MS);
            }
        });
    }

    private void reconnect(long delayMs) {
        try {
            worker.schedule(() -> {
                try {
                    listen();
                } catch (IOException | RuntimeException e) {
                    long next = Math.min(delayMs * 2, RECONNECT_MAX_MS);
                    LOG.warn("Bus monitor could not connect again ({}); next try in {} ms", e.toString(), next);
                    reconnect(next);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Called holding {@code this}: the bindings asked for cannot change meanwhile. */
    private void listenOn(Connection opened) throws IOException {
        Channel channel = opened.createChannel();
        // server-named, not durable, exclusive to this connection, deleted with it
        String name = channel.queueDeclare("", false, true, true, null).getQueue();
        for (Binding binding : wanted.keySet()) {
            channel.queueBind(name, binding.exchange(), binding.pattern().toString());
        }
        // cancelled by the broker (the queue deleted under it): deaf from now on, so start afresh
        channel.basicConsume(name, true, (tag, delivery) -> seen(delivery), tag -> onWorker(opened::abort));
        queue = name;
        bindChannel = opened.createChannel();
        LOG.info("Bus monitor listening on {} (bound to {} on {} and {})", name, wanted.keySet().stream()
                .map(b -> b.pattern() + (b.exchange().equals(eventsExchange) ? "" : " (dead letters)")).toList(),
                eventsExchange, deadLetterExchange);
    }

    /** Whether the monitor is connected and listening now. */
    public boolean isListening() {
        Connection open = connection;
        return !closed && open != null && open.isOpen();
    }

    /**
     * Drops the connection at once, as a broker restart would; the monitor then connects again by
     * itself. For operators' fault drills and the tests of the reconnection.
     */
    public void abortConnection() {
        Connection open = connection;
        if (open != null) {
            open.abort();
        }
    }

    /** What the queue is bound with now, as {@code "exchange pattern"}: each binding some subscriber asks for. */
    public synchronized List<String> bindings() {
        return wanted.keySet().stream().map(b -> b.exchange() + " " + b.pattern()).sorted().toList();
    }

    /** The listener's queue, once started. */
    public String queue() {
        return queue;
    }

    /**
     * A new channel on the monitor's connection, for the queue watch's passive declares; null
     * before {@link #start()} or once the connection is gone.
     */
    public Channel openChannel() throws IOException {
        Connection open = connection;
        return open == null || !open.isOpen() ? null : open.createChannel();
    }

    private void seen(Delivery delivery) {
        boolean deadLetter = deadLetterExchange.equals(delivery.getEnvelope().getExchange());
        String routingKey = delivery.getEnvelope().getRoutingKey();
        for (Subscription subscription : subscriptions) {
            if ((deadLetter ? subscription.exchanges.deadLetters : subscription.exchanges.events)
                    && subscription.pattern.matches(routingKey)) {
                try {
                    subscription.subscriber.delivered(delivery, deadLetter);
                } catch (RuntimeException e) {
                    // one subscriber's fault must not cost the others their deliveries
                    LOG.warn("A bus monitor subscriber ({}) failed on {}: {}", subscription.pattern, routingKey, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        Connection open = connection;
        if (open != null && open.isOpen()) {
            try {
                open.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the bus monitor's connection: {}", e.toString());
            }
        }
    }
}

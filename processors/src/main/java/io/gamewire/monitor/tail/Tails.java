package io.gamewire.monitor.tail;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.bus.AmqpConnections;
import io.gamewire.camel.NamedThreads;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live tails of this instance: opens them, at most {@code gamewire.ops.max-tails} at once, each
 * with a buffer of {@code gamewire.ops.tail-buffer} deliveries and {@code gamewire.ops.tail-buffer-bytes}
 * bytes, and closes those still open when gamewire stops. Once it is closed it opens no more: a tail
 * being opened on a worker while gamewire stops is closed as soon as it is made, and refused.
 *
 * <p>Tails' connections are closed on threads of its own ({@code gamewire-tail-close-<n>}, as many
 * as closes wait at once, so about {@code max-tails} at most): {@link Tail#close()} is called on
 * the HTTP server's event loop, which must not wait for the broker's answer.
 *
 * <p>Every tail's connection comes from gamewire's own connection factory: the same broker, user and
 * virtual host as the rest of gamewire, so a tail can only ever bind to this vhost's exchanges.
 */
public final class Tails implements AutoCloseable {

    /** Tail settings, read once at start. */
    public record Limits(int maxTails, int bufferEvents, long bufferBytes) {
    }

    private final ConnectionFactory factory;
    private final String eventsExchange;
    private final String deadLetterExchange;
    private final TailEvents events;
    private final Limits limits;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Set<Tail> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService closer;
    private volatile boolean closed;

    public Tails(ConnectionFactory factory, String eventsExchange, String deadLetterExchange, TailEvents events,
                 Limits limits, NamedThreads threads) {
        this.closer = Executors.newCachedThreadPool(threads.factory("gamewire-tail-close"));
        this.factory = factory;
        this.eventsExchange = eventsExchange;
        this.deadLetterExchange = deadLetterExchange;
        this.events = events;
        this.limits = limits;
    }

    /**
     * Opens a tail bound with {@code pattern} on the events exchange, and on the dead-letter exchange
     * too when {@code deadLetters}.
     *
     * @param limit message events after which its stream ends, 0 for none
     * @throws TooManyTailsException when {@code gamewire.ops.max-tails} are open already
     * @throws TailsClosedException  when gamewire is stopping
     * @throws IOException           when the broker cannot be reached or refuses the queue
     */
    public Tail open(TopicPattern pattern, boolean deadLetters, long limit) throws IOException {
        if (closed) {
            throw new TailsClosedException();
        }
        if (reserved.incrementAndGet() > limits.maxTails()) {
            reserved.decrementAndGet();
            throw new TooManyTailsException(limits.maxTails() + " tails are open on this instance, as many as"
                    + " gamewire.ops.max-tails allows; close one (or raise gamewire.ops.max-tails) and try again");
        }
        Connection connection;
        try {
            connection = AmqpConnections.open(factory, "gamewire-tail");
        } catch (IOException | RuntimeException e) {
            reserved.decrementAndGet();
            throw e;
        }
        Tail[] self = new Tail[1];
        Tail tail = new Tail(connection, pattern, deadLetters, limit,
                new TailBuffer(limits.bufferEvents(), limits.bufferBytes()), events, closer, () -> {
                    open.remove(self[0]);
                    reserved.decrementAndGet();
                });
        self[0] = tail;
        open.add(tail);
        // checked again once the tail is in the set: close() sets the flag and then closes what the
        // set holds, so a tail made while it ran is either closed by it or sees the flag here
        if (closed) {
            tail.close();
            throw new TailsClosedException();
        }
        try {
            tail.start(eventsExchange, deadLetterExchange);
        } catch (IOException | RuntimeException e) {
            tail.close();
            if (closed) {
                throw new TailsClosedException(); // close() took the connection while the queue was being made
            }
            throw e;
        }
        if (closed) {
            tail.close();
            throw new TailsClosedException();
        }
        return tail;
    }

    /** The tails open now. */
    public List<Tail> openTails() {
        return List.copyOf(open);
    }

    /** Tails open now. */
    public int openCount() {
        return reserved.get();
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Closes every open tail (gamewire stops), and opens none from now on; their streams end. Waits a
     * little for their connections to close, so that their queues are gone when gamewire has stopped.
     */
    @Override
    public void close() {
        closed = true;
        for (Tail tail : Set.copyOf(open)) {
            tail.close();
        }
        closer.shutdown();
        try {
            if (!closer.awaitTermination(Tail.CLOSE_TIMEOUT_MILLIS * 2L, TimeUnit.MILLISECONDS)) {
                closer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

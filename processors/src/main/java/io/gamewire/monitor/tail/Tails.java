package io.gamewire.monitor.tail;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.bus.AmqpConnections;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live tails of this instance: opens them, at most {@code gamewire.ops.max-tails} at once, each
 * with a buffer of {@code gamewire.ops.tail-buffer} events and {@code gamewire.ops.tail-buffer-bytes}
 * characters, and closes those still open when gamewire stops.
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

    public Tails(ConnectionFactory factory, String eventsExchange, String deadLetterExchange, TailEvents events,
                 Limits limits) {
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
     * @throws IOException           when the broker cannot be reached or refuses the queue
     */
    public Tail open(TopicPattern pattern, boolean deadLetters, long limit) throws IOException {
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
                new TailBuffer(limits.bufferEvents(), limits.bufferBytes()), () -> {
                    open.remove(self[0]);
                    reserved.decrementAndGet();
                });
        self[0] = tail;
        open.add(tail);
        try {
            tail.start(eventsExchange, deadLetterExchange, events);
        } catch (IOException | RuntimeException e) {
            tail.close();
            throw e;
        }
        return tail;
    }

    /** The tails open now. */
    public java.util.List<Tail> openTails() {
        return java.util.List.copyOf(open);
    }

    /** Tails open now. */
    public int openCount() {
        return reserved.get();
    }

    public Limits limits() {
        return limits;
    }

    /** Closes every open tail (gamewire stops); their streams end. */
    @Override
    public void close() {
        for (Tail tail : Set.copyOf(open)) {
            tail.close();
        }
    }
}

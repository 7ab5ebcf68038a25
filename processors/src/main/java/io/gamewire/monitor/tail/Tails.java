package io.gamewire.monitor.tail;

import io.github.bucket4j.Bucket;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live tails of this instance: opens them, at most {@code gamewire.ops.max-tails} at once, each
 * with a buffer of {@code gamewire.ops.tail-buffer} deliveries and {@code gamewire.ops.tail-buffer-bytes}
 * bytes and a rate of at most {@code gamewire.ops.tail-max-rate} events a second, and closes those
 * still open when gamewire stops. Once it is closed it opens no more: a tail being opened on a
 * worker while gamewire stops is closed as soon as it is made, and refused.
 *
 * <p>Every tail is a subscription to the instance's {@link BusMonitor}, whose connection comes from
 * gamewire's own connection factory: the same broker, user and virtual host as the rest of gamewire,
 * so a tail only ever sees this vhost's exchanges.
 */
public final class Tails implements AutoCloseable {

    /**
     * Tail settings, read once at start.
     *
     * @param maxRate events a second each tail shows at most, 0 for no limit
     */
    public record Limits(int maxTails, int bufferEvents, long bufferBytes, int maxRate) {

        public Limits {
            if (maxRate < 0) {
                throw new IllegalArgumentException("gamewire.ops.tail-max-rate must be 0 (no limit) or more, not " + maxRate);
            }
        }
    }

    private final BusMonitor monitor;
    private final TailEvents events;
    private final Limits limits;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Set<Tail> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public Tails(BusMonitor monitor, TailEvents events, Limits limits) {
        this.monitor = monitor;
        this.events = events;
        this.limits = limits;
    }

    /**
     * Opens a tail of {@code pattern} on the events exchange, and on the dead-letter exchange too
     * when {@code deadLetters}.
     *
     * @param limit message events after which its stream ends, 0 for none
     * @throws TooManyTailsException when {@code gamewire.ops.max-tails} are open already
     * @throws TailsClosedException  when gamewire is stopping
     * @throws IOException           when the broker refuses the binding
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
        Tail[] self = new Tail[1];
        Tail tail = new Tail(pattern, deadLetters, limit, new TailBuffer(limits.bufferEvents(), limits.bufferBytes()),
                rate(), events, () -> {
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
            tail.start(monitor);
        } catch (IOException | RuntimeException e) {
            tail.close();
            throw e;
        }
        return tail;
    }

    /** A bucket of one second's events, refilled evenly: a burst up to the rate passes whole. */
    private Bucket rate() {
        int max = limits.maxRate();
        return max == 0 ? null : Bucket.builder()
                .addLimit(limit -> limit.capacity(max).refillGreedy(max, Duration.ofSeconds(1))).build();
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

    /** Closes every open tail (gamewire stops), and opens none from now on; their streams end. */
    @Override
    public void close() {
        closed = true;
        for (Tail tail : Set.copyOf(open)) {
            tail.close();
        }
    }
}

package io.gamewire.monitor.tail;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Writes one tail to its client as Server-Sent Events, through whatever HTTP server holds the
 * response ({@link SseSink}). First a comment naming the queue and what it is bound to (sent once
 * the binding exists, so a client that sees it sees every later event); then, each time it is
 * asked to {@link #drain()}, the deliveries the tail holds while the sink takes more, each made
 * into its frame only then ({@link TailEvents}); an {@code event: dropped} with
 * {@code {"dropped": n, "totalDropped": m}} when deliveries were lost (over the tail's rate, or
 * dropped by its buffer) since the last notice, at most once a second while events flow; a comment
 * {@code : keep-alive} every {@link #KEEP_ALIVE}. It ends the response
 * after the tail's limit of message events, or when the tail closed (gamewire stops, the broker
 * went away); {@link #clientGone()} closes the tail when the client left.
 *
 * <p>Not thread-safe: every call comes from the sink's own thread (an HTTP server's event loop).
 */
public final class TailStream {

    /** How often an idle stream gets a comment, so that proxies and load balancers keep it open. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /** Where the stream is written. */
    public interface SseSink {
        /** Whether the connection holds as much unsent data as it should; then wait for {@link #drain}. */
        boolean writeQueueFull();

        void write(String text);

        /** Ends the response. */
        void end();
    }

    /** The most frames one {@link #drain()} writes. */
    static final int FRAMES_PER_DRAIN = 64;
    /**
     * The most characters one drain gathers before writing (it stops at the frame past it): frames
     * of large payloads must not pile up into one huge string while the client is slow.
     */
    static final int CHARS_PER_DRAIN = 64 * 1024;
    /** How often, at most, a busy stream gets an {@code event: dropped}. */
    static final Duration DROPPED_NOTICE_EVERY = Duration.ofSeconds(1);

    private final Tail tail;
    private final SseSink sink;
    private final LongSupplier clockMillis;
    private long sent;
    private long droppedUntold;
    private long totalDropped;
    private long lastDroppedNotice = Long.MIN_VALUE / 2;
    private boolean ended;
    /**
     * What one call writes, sent to the sink in one write when it returns: a write per frame was
     * a chunk and a flush (a system call) per event on a busy tail.
     */
    private StringBuilder pending = new StringBuilder();

    public TailStream(Tail tail, SseSink sink) {
        this(tail, sink, System::currentTimeMillis);
    }

    TailStream(Tail tail, SseSink sink, LongSupplier clockMillis) {
        this.tail = tail;
        this.sink = sink;
        this.clockMillis = clockMillis;
    }

    /** Writes the opening comment. */
    public void begin() {
        sink.write(SseFrames.comment("tail " + tail.queue() + " bound to " + tail.pattern()
                + (tail.deadLetters() ? " on the events and dead-letter exchanges" : " on the events exchange")));
    }

    /**
     * Writes what the tail holds, as long as the sink takes it and at most {@link #FRAMES_PER_DRAIN}
     * frames, so that one call never holds the event loop long.
     *
     * @return whether frames are still waiting: ask again soon (the sink's drain handler asks when a
     *         full write queue empties)
     */
    public boolean drain() {
        boolean more = take();
        flush();
        return more;
    }

    private boolean take() {
        int written = 0;
        while (!ended && !sink.writeQueueFull()) {
            if (written == FRAMES_PER_DRAIN || pending.length() >= CHARS_PER_DRAIN) {
                return true;
            }
            TailBuffer.Taken taken = tail.take();
            droppedUntold += taken.dropped();
            totalDropped = taken.totalDropped();
            if (taken.delivery() == null) {
                tellDropped(!tail.isOpen());
                if (!tail.isOpen()) {
                    end();
                }
                return false;
            }
            tellDropped(false);
            pending.append(tail.frame(taken.delivery()));
            written++;
            sent++;
            if (tail.limit() > 0 && sent >= tail.limit()) {
                end();
            }
        }
        return false;
    }

    /**
     * An {@code event: dropped} with what was lost since the last one, at most once a
     * {@link #DROPPED_NOTICE_EVERY} (a tail over its rate would otherwise get one before nearly every
     * event); {@code now} writes it whatever the interval (the stream ends, or the keep-alive flushes
     * what a quiet stream still owes).
     */
    private void tellDropped(boolean now) {
        long time = clockMillis.getAsLong();
        if (droppedUntold > 0 && (now || time - lastDroppedNotice >= DROPPED_NOTICE_EVERY.toMillis())) {
            pending.append(SseFrames.event("dropped", null, "{\"dropped\":" + droppedUntold
                    + ",\"totalDropped\":" + totalDropped + "}"));
            droppedUntold = 0;
            lastDroppedNotice = time;
        }
    }

    /**
     * Writes a keep-alive comment, unless the connection is busy anyway, after what is waiting and
     * the drops not told yet.
     *
     * @return whether frames are still waiting (as {@link #drain()})
     */
    public boolean keepAlive() {
        boolean more = !ended && !sink.writeQueueFull() && take();
        if (!ended && !sink.writeQueueFull()) {
            tellDropped(true);
        }
        if (!ended && !sink.writeQueueFull()) {
            pending.append(SseFrames.comment("keep-alive"));
        }
        flush();
        return more;
    }

    private void flush() {
        try {
            if (pending.length() > 0 && !ended) {
                sink.write(pending.toString());
            }
        } finally {
            // a builder grown by a burst of large frames is not kept for the tail's life
            if (pending.capacity() > 4 * CHARS_PER_DRAIN) {
                pending = new StringBuilder();
            } else {
                pending.setLength(0);
            }
        }
    }

    /** The client closed the connection: the tail (and its binding) goes. */
    public void clientGone() {
        ended = true;
        tail.close();
    }

    public boolean ended() {
        return ended;
    }

    /** Message events written so far. */
    public long sent() {
        return sent;
    }

    private void end() {
        flush();
        ended = true;
        tail.close();
        sink.end();
    }
}

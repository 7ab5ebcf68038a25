package io.gamewire.monitor.tail;

import java.time.Duration;

/**
 * Writes one tail to its client as Server-Sent Events, through whatever HTTP server holds the
 * response ({@link SseSink}). First a comment naming the queue and what it is bound to (sent once
 * the binding exists, so a client that sees it sees every later event); then, each time it is
 * asked to {@link #drain()}, the deliveries the tail holds while the sink takes more, each made
 * into its frame only then ({@link TailEvents}) and preceded by an {@code event: dropped} with
 * {@code {"dropped": n, "totalDropped": m}} when deliveries were lost
 * since the last one; a comment {@code : keep-alive} every {@link #KEEP_ALIVE}. It ends the response
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

    private final Tail tail;
    private final SseSink sink;
    private long sent;
    private boolean ended;

    public TailStream(Tail tail, SseSink sink) {
        this.tail = tail;
        this.sink = sink;
    }

    /** Writes the opening comment. */
    public void begin() {
        sink.write(SseFrames.comment("tail " + tail.queue() + " bound to " + tail.pattern()
                + (tail.deadLetters() ? " on the events and dead-letter exchanges" : " on the events exchange")));
    }

    /** Writes what the tail holds, as long as the sink takes it. */
    public void drain() {
        while (!ended && !sink.writeQueueFull()) {
            TailBuffer.Taken taken = tail.take();
            if (taken.dropped() > 0) {
                sink.write(SseFrames.event("dropped", null, "{\"dropped\":" + taken.dropped()
                        + ",\"totalDropped\":" + taken.totalDropped() + "}"));
            }
            if (taken.delivery() == null) {
                if (!tail.isOpen()) {
                    end();
                }
                return;
            }
            sink.write(tail.frame(taken.delivery()));
            sent++;
            if (tail.limit() > 0 && sent >= tail.limit()) {
                end();
            }
        }
    }

    /** Writes a keep-alive comment, unless the connection is busy anyway. */
    public void keepAlive() {
        if (!ended && !sink.writeQueueFull()) {
            sink.write(SseFrames.comment("keep-alive"));
        }
    }

    /** The client closed the connection: the tail (and its queue) goes. */
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
        ended = true;
        tail.close();
        sink.end();
    }
}

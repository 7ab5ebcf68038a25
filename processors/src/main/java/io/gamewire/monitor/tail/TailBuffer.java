package io.gamewire.monitor.tail;

import java.util.ArrayDeque;

/**
 * What one tail holds for its client: SSE frames received from the bus and not yet written, at most
 * {@code maxEvents} of them and {@code maxBytes} of text. A client slower than the bus loses the
 * <em>oldest</em> frames: a live tail is for seeing what happens now, so when the client catches up
 * it should see the latest events, not ones from minutes ago; every frame lost is counted, and the
 * count goes to the client as an {@code event: dropped} before the next frame it gets.
 *
 * <p>Thread-safe: the AMQP consumer adds, the HTTP side takes.
 */
final class TailBuffer {

    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private long bytes;
    private long droppedSinceTaken;
    private long totalDropped;

    TailBuffer(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a tail buffer holds at least one event and one byte, not "
                    + maxEvents + " events and " + maxBytes + " bytes");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a frame, dropping the oldest ones to stay within both limits (a frame larger than the
     * byte limit on its own is dropped itself).
     *
     * @return whether the buffer was empty before, i.e. whether the reader may need waking
     */
    synchronized boolean add(String frame) {
        boolean wasEmpty = frames.isEmpty();
        long size = size(frame);
        if (size > maxBytes) {
            dropped(1);
            return wasEmpty;
        }
        while (!frames.isEmpty() && (frames.size() >= maxEvents || bytes + size > maxBytes)) {
            bytes -= size(frames.removeFirst());
            dropped(1);
        }
        frames.addLast(frame);
        bytes += size;
        return wasEmpty;
    }

    /** What the reader takes at once: frames dropped since it last took, then the oldest frame held. */
    record Taken(long dropped, long totalDropped, String frame) {
    }

    /** The frames dropped since the last take (that count starts again) and the oldest frame, or null. */
    synchronized Taken take() {
        long dropped = droppedSinceTaken;
        droppedSinceTaken = 0;
        String frame = frames.pollFirst();
        if (frame != null) {
            bytes -= size(frame);
        }
        return new Taken(dropped, totalDropped, frame);
    }

    synchronized long totalDropped() {
        return totalDropped;
    }

    synchronized int size() {
        return frames.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean isEmpty() {
        return frames.isEmpty() && droppedSinceTaken == 0;
    }

    private void dropped(long count) {
        droppedSinceTaken += count;
        totalDropped += count;
    }

    /** Characters stand for bytes: frames are mostly ASCII JSON, and the limit is a memory bound, not a wire count. */
    private static long size(String frame) {
        return frame.length();
    }
}

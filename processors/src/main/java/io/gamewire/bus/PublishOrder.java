package io.gamewire.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One source's publishes whose order the bus must keep: the events of one TCP connection, of one
 * HTTP batch, the items of one pull run. Every publish given the same order goes to the same lane of
 * {@link ConfirmingPublisher}, whose one thread publishes them on one channel in the order they were
 * handed over, so the broker receives and routes them in that order. {@link #NONE} keeps no order:
 * each publish takes the next lane.
 *
 * <p>{@link ConfirmingPublisher#openOrder()} gives a source the lane that the fewest open orders
 * share; {@link #close()} tells the publisher that the source ended, so that the next source is put
 * where the load is lightest. A closed order still publishes on its lane.
 *
 * <p>A source that publishes many events at once (an HTTP batch) can {@link #hold()} its publishes
 * and {@link #handOver()} them to the lane's thread together: one hand-over between threads for the
 * lot instead of one per event, in the same order.
 */
public final class PublishOrder implements AutoCloseable {

    /** No order to keep (a single HTTP event, a console send): each publish takes the next lane. */
    public static final PublishOrder NONE = new PublishOrder(-1, null, null);

    private final int lane;
    private final Runnable release;
    /** The lane's thread, where held publishes are handed over; null for an order no publisher made. */
    private final Executor laneThread;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** The publishes held until {@link #handOver()}, or null when none are held; the source's thread only. */
    private List<HeldPublish> held;

    /** A publish waiting for {@link #handOver()}: what publishes it, and the future it settles. */
    private record HeldPublish(Runnable publish, CompletableFuture<Void> confirmed) {
    }

    PublishOrder(int lane, Runnable release) {
        this(lane, release, null);
    }

    PublishOrder(int lane, Runnable release, Executor laneThread) {
        this.lane = lane;
        this.release = release;
        this.laneThread = laneThread;
    }

    /** The lane this order publishes on, or -1 for {@link #NONE}. */
    public int lane() {
        return lane;
    }

    /**
     * Keeps this order's publishes from now until {@link #handOver()}, to hand them to the lane's
     * thread together. Only the thread of the source may publish in the order meanwhile, and it must
     * hand over (in a {@code finally}), or fail them ({@link #failHeld}): a held publish is neither
     * sent nor timed until then. Does nothing for {@link #NONE} or an order that no publisher made.
     */
    public void hold() {
        if (laneThread != null && held == null) {
            held = new ArrayList<>();
        }
    }

    /**
     * Hands the held publishes to the lane's thread at once, in the order they were made; fails
     * their futures if the publisher has closed. Holds nothing after.
     */
    public void handOver() {
        List<HeldPublish> batch = takeHeld();
        if (batch.isEmpty()) {
            return;
        }
        try {
            laneThread.execute(() -> publishAll(batch));
        } catch (RejectedExecutionException e) {
            fail(batch, new ConfirmingPublisher.PublishFailedException("the publisher is closed", e));
        }
    }

    /**
     * Fails the held publishes instead of sending them (the source failed before it could hand
     * them over: its client resends them all, so none should reach the broker). Holds nothing after.
     */
    public void failHeld(Throwable cause) {
        fail(takeHeld(), new ConfirmingPublisher.PublishFailedException("not published: " + cause, cause));
    }

    /** The held publishes (none when not holding), and holding ends. */
    private List<HeldPublish> takeHeld() {
        List<HeldPublish> batch = held == null ? List.of() : held;
        held = null;
        return batch;
    }

    /** On the lane's thread: one publish that throws fails only its own future, never the rest. */
    private static void publishAll(List<HeldPublish> batch) {
        for (HeldPublish each : batch) {
            try {
                each.publish().run();
            } catch (Throwable e) {
                each.confirmed().completeExceptionally(new ConfirmingPublisher.PublishFailedException(
                        "publish failed: " + e, e));
            }
        }
    }

    private static void fail(List<HeldPublish> batch, RuntimeException failure) {
        batch.forEach(each -> each.confirmed().completeExceptionally(failure));
    }

    /** Keeps {@code publish} for {@link #handOver()} when holding; false when not, for the caller to hand it over. */
    boolean held(Runnable publish, CompletableFuture<Void> confirmed) {
        if (held == null) {
            return false;
        }
        held.add(new HeldPublish(publish, confirmed));
        return true;
    }

    /** The source ended: its lane counts one open order less. Idempotent; {@link #NONE} ignores it. */
    @Override
    public void close() {
        if (release != null && open.compareAndSet(true, false)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return this == NONE ? "no order" : "order on lane " + lane;
    }
}

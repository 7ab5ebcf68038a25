package io.gamewire.bus;

import io.gamewire.bus.ConfirmingPublisher.PublishFailedException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * The publishes on one channel that wait for the broker's confirm, by delivery tag (the channel's
 * publish sequence number), and how each is settled: by its confirm or refusal, by one that
 * settles a range ({@code multiple}), by its deadline passing, or by the channel going away. Apart
 * from the channel it serves because it is touched from three threads (the lane's, the client's
 * confirm listener and the timeout sweep) and owns every rule about which future completes how.
 */
final class UnconfirmedPublishes {

    /**
     * An unconfirmed publish, when it is overdue ({@link System#nanoTime()}), and what to run on its
     * confirm before its future completes (null for nothing).
     */
    private record Pending(CompletableFuture<Void> future, long deadline, Runnable onConfirm) {
    }

    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    private final long confirmTimeoutMs;
    private final long confirmTimeoutNanos;

    /** @param confirmTimeoutMs how long a publish waits for its confirm before it fails */
    UnconfirmedPublishes(long confirmTimeoutMs) {
        this.confirmTimeoutMs = confirmTimeoutMs;
        this.confirmTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMs);
    }

    /**
     * Waits for the confirm of {@code tag}, from now until the confirm timeout, and runs
     * {@code onConfirm} (when not null) on the confirm, before the future completes; not on a
     * refusal, a timeout or a lost channel. It runs here, not as a stage of the future: one
     * completion stage less per publish on the confirm thread (the profile of batched HTTP in
     * bench/README.md).
     */
    void add(long tag, CompletableFuture<Void> confirmed, Runnable onConfirm) {
        outstanding.put(tag, new Pending(confirmed, System.nanoTime() + confirmTimeoutNanos, onConfirm));
    }

    /** Stops waiting for {@code tag}, whose publish failed before it reached the broker. */
    void forget(long tag) {
        outstanding.remove(tag);
    }

    int size() {
        return outstanding.size();
    }

    /** A confirm ({@code refusal} null) or refusal of {@code tag}, or of every tag up to it. */
    void confirm(long tag, boolean multiple, String refusal) {
        if (!multiple) {
            complete(outstanding.remove(tag), refusal);
            return;
        }
        for (Long each : new ArrayList<>(outstanding.headMap(tag, true).keySet())) {
            complete(outstanding.remove(each), refusal);
        }
    }

    private static void complete(Pending pending, String refusal) {
        if (pending == null) {
            return;
        }
        if (refusal == null) {
            try {
                if (pending.onConfirm() != null) {
                    pending.onConfirm().run();
                }
            } finally {
                pending.future().complete(null); // it left the map: nothing else would ever complete it
            }
        } else {
            pending.future().completeExceptionally(new PublishFailedException(refusal));
        }
    }

    /**
     * Fails the publishes whose confirm is overdue. Tags grow with time on a channel, so the
     * overdue ones are at the head: the sweep stops at the first that is not.
     */
    void failOverdue(long now) {
        for (Map.Entry<Long, Pending> head = outstanding.firstEntry(); head != null && now - head.getValue().deadline() > 0;
             head = outstanding.firstEntry()) {
            if (outstanding.remove(head.getKey(), head.getValue())) {
                head.getValue().future().completeExceptionally(new PublishFailedException(
                        "the broker did not confirm within " + confirmTimeoutMs + " ms (gamewire.bus.confirm-timeout-ms)"));
            }
        }
    }

    void failAll(PublishFailedException failure) {
        for (Long tag : new ArrayList<>(outstanding.keySet())) {
            Pending pending = outstanding.remove(tag);
            if (pending != null) {
                pending.future().completeExceptionally(failure);
            }
        }
    }
}

package io.gamewire.protocol.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * The frames sent and not answered yet, at most {@code capacity} of them: the bound that keeps a
 * client from buffering without limit when the server is slow or unreachable.
 *
 * <p>A sender takes a slot on its own thread, waiting while all are taken; the slot comes back
 * when its entry is removed. The entries themselves are only touched on the client's event loop,
 * so they need no lock; they are kept in the order they were added, which is the order they are
 * written again after a reconnect.
 */
final class InFlightWindow {

    private final int capacity;
    private final Semaphore freeSlots;
    private final Map<UUID, InFlight<?>> entries = new LinkedHashMap<>();
    private volatile boolean closed;

    InFlightWindow(int capacity) {
        this.capacity = capacity;
        this.freeSlots = new Semaphore(capacity, true);
    }

    int capacity() {
        return capacity;
    }

    /** Waits for a free slot and takes it; false when the window was closed instead. */
    boolean takeSlot() throws InterruptedException {
        freeSlots.acquire();
        return keepUnlessClosed();
    }

    /** Takes a free slot if there is one; false when none is free or the window is closed. */
    boolean tryTakeSlot() {
        return freeSlots.tryAcquire() && keepUnlessClosed();
    }

    private boolean keepUnlessClosed() {
        if (closed) {
            freeSlots.release(); // pass the wake-up on to the next waiting sender
            return false;
        }
        return true;
    }

    /** Gives back a slot taken for an entry that was never added. */
    void giveBackSlot() {
        freeSlots.release();
    }

    /** Slots taken: entries plus slots about to become entries. */
    int used() {
        return closed ? 0 : Math.max(0, capacity - freeSlots.availablePermits());
    }

    boolean isClosed() {
        return closed;
    }

    /** Adds an entry into a slot already taken; false, and nothing added, when its id is in flight already. */
    boolean add(InFlight<?> entry) {
        return entries.putIfAbsent(entry.id(), entry) == null;
    }

    InFlight<?> get(UUID id) {
        return entries.get(id);
    }

    /** Removes the entry, if it is still in the window, and frees its slot. */
    void remove(InFlight<?> entry) {
        if (entries.remove(entry.id(), entry)) {
            freeSlots.release();
        }
    }

    /** A copy of the entries in the order they were added. */
    List<InFlight<?>> inOrderAdded() {
        return new ArrayList<>(entries.values());
    }

    /** Refuses every further slot and wakes the senders waiting for one. */
    void close() {
        closed = true;
        freeSlots.release(capacity);
    }
}

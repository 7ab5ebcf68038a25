package io.gamewire.monitor.tail;

/** A tail refused because gamewire is stopping: {@link Tails} has closed its tails and opens no more. */
public final class TailsClosedException extends RuntimeException {
    TailsClosedException() {
        super("gamewire is stopping: no tail can be opened now");
    }
}

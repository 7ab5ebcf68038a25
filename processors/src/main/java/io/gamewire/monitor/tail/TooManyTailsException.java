package io.gamewire.monitor.tail;

/** A tail refused because this instance has as many open as {@code gamewire.ops.max-tails} allows. */
public final class TooManyTailsException extends RuntimeException {
    TooManyTailsException(String message) {
        super(message);
    }
}

package io.gamewire.bus;

/**
 * A request sent over the bus got no reply; {@link #reason()} says why, and the translator that
 * sent it answers in its own terms (an HTTP status, a GWP error code).
 */
public class RequestFailedException extends RuntimeException {

    /** Why no reply came. */
    public enum Reason {
        /** The request was not published (broker unreachable, no reply queue, gamewire stopping). */
        NOT_PUBLISHED,
        /** Too many requests of this instance already wait for replies. */
        OVERLOADED,
        /** A request with the same message id is already waiting for its reply. */
        DUPLICATE_ID,
        /** No reply within the request timeout. */
        TIMEOUT
    }

    private final Reason reason;

    public RequestFailedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public RequestFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

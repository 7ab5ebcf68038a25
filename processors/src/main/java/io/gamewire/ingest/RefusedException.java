package io.gamewire.ingest;

/**
 * An event or request a translator does not pass on, with a message for the client that names
 * what was wrong (never an API key).
 */
public class RefusedException extends RuntimeException {

    private final Refusal refusal;
    private final long retryAfterSeconds;

    public RefusedException(Refusal refusal, String message) {
        this(refusal, message, 0, null);
    }

    public RefusedException(Refusal refusal, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.refusal = refusal;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Refusal refusal() {
        return refusal;
    }

    /** For {@link Refusal#RATE_LIMITED}: whole seconds until the key may send again; else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

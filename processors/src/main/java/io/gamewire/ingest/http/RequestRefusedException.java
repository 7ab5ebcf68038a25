package io.gamewire.ingest.http;

/** An HTTP request gamewire refuses, with the status to answer and a message naming what was wrong. */
public class RequestRefusedException extends RuntimeException {

    private final int status;
    private final java.util.Map<String, String> headers;

    public RequestRefusedException(int status, String message) {
        this(status, message, java.util.Map.of());
    }

    /** With response headers, such as {@code Retry-After} on a 429. */
    public RequestRefusedException(int status, String message, java.util.Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }
}

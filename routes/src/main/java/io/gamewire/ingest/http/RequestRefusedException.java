package io.gamewire.ingest.http;

/** An HTTP request gamewire refuses, with the status to answer and a message naming what was wrong. */
public class RequestRefusedException extends RuntimeException {

    private final int status;

    public RequestRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

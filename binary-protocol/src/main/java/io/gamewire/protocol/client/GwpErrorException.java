package io.gamewire.protocol.client;

import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import java.io.IOException;
import java.util.UUID;

/**
 * The server answered a frame with an ERROR. {@link #code()} says why (see {@link ErrorCode}), and
 * {@link ErrorCode#closesConnection()} whether the server also closed the connection.
 */
public class GwpErrorException extends IOException {

    private final transient ErrorFrame error;

    public GwpErrorException(ErrorFrame error) {
        super(describe(error));
        this.error = error;
    }

    private static String describe(ErrorFrame error) {
        ErrorCode known = error.knownCode();
        String about = ErrorFrame.CONNECTION.equals(error.messageId()) ? "the connection" : error.messageId().toString();
        return "server answered ERROR " + error.code() + (known == null ? "" : " " + known) + " about " + about
                + ": " + error.text();
    }

    /** The ERROR frame as received. */
    public ErrorFrame error() {
        return error;
    }

    /** The error code, a number from {@link ErrorCode} or one this version does not know. */
    public int code() {
        return error.code();
    }

    /** The code as this version knows it, or null. */
    public ErrorCode knownCode() {
        return error.knownCode();
    }

    /** The server's explanation. */
    public String text() {
        return error.text();
    }

    /** The message id the ERROR is about, or {@link ErrorFrame#CONNECTION}. */
    public UUID messageId() {
        return error.messageId();
    }
}

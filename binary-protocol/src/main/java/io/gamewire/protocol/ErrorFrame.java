package io.gamewire.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * ERROR: a numbered error about the frame with {@code messageId}, or about the whole connection
 * when {@code messageId} is the nil UUID ({@link #CONNECTION}).
 *
 * @param code a number from {@link ErrorCode}; numbers this version does not know are kept as they
 *             are, so that a newer peer's errors still reach the application
 */
public record ErrorFrame(int code, UUID messageId, String text) implements Frame {

    /** The message id of errors that concern the connection rather than one frame. */
    public static final UUID CONNECTION = new UUID(0, 0);

    public ErrorFrame {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(text, "text");
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("error code must be from 0 to 65535, was " + code);
        }
    }

    public ErrorFrame(ErrorCode code, UUID messageId, String text) {
        this(code.code(), messageId, text);
    }

    /** The code as this version knows it, or null for a code it does not define. */
    public ErrorCode knownCode() {
        return ErrorCode.ofCode(code);
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }

    @Override
    public String toString() {
        ErrorCode known = knownCode();
        return "ERROR " + code + (known == null ? "" : " " + known) + " id=" + messageId + " text=" + text;
    }
}

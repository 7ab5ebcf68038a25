package io.gamewire.protocol;

import java.util.Objects;
import java.util.UUID;

/** ACK: the frame with {@code messageId} was accepted; for an EVENT, the broker confirmed it. */
public record AckFrame(UUID messageId) implements Frame {

    public AckFrame {
        Objects.requireNonNull(messageId, "messageId");
    }

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }

    @Override
    public String toString() {
        return "ACK id=" + messageId;
    }
}

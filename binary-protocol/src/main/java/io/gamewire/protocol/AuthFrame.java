package io.gamewire.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * AUTH: the first frame a client sends. Answered by ACK with the same message id, or by ERROR
 * {@link ErrorCode#AUTH_FAILED} and a close.
 *
 * @param messageId  identifies this AUTH in the ACK/ERROR answer
 * @param apiKey     the title's API key (1–256 bytes UTF-8); never logged
 * @param clientName free text for the server's logs and metrics (0–64 bytes UTF-8)
 */
public record AuthFrame(UUID messageId, String apiKey, String clientName) implements Frame {

    public AuthFrame {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(clientName, "clientName");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH;
    }

    @Override
    public String toString() {
        // the key is a secret: its length is all a log may show
        return "AUTH id=" + messageId + " key=<" + apiKey.length() + " chars> client=" + clientName;
    }
}

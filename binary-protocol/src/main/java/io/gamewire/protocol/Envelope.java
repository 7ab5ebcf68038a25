package io.gamewire.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An EVENT, REQUEST or REPLY: the envelope every translator produces and the bus carries.
 *
 * @param type          {@link FrameType#EVENT}, {@link FrameType#REQUEST} or {@link FrameType#REPLY}
 * @param messageId     16 bytes, unique per message (gamewire uses version 7 UUIDs, and name-based
 *                      version 8 ones for pulled items: {@link MessageIds#named})
 * @param correlationId for a REPLY the REQUEST's message id; otherwise optional (null)
 * @param timestamp     when the event happened, Unix milliseconds by the sender's clock
 * @param contentType   media type of the payload, e.g. {@code application/json}
 * @param routingKey    {@code title.env.service.command}
 * @param attributes    small string attributes; unknown names are ignored by receivers
 * @param payload       the payload bytes, as a read-only buffer; after decoding it is a view of the
 *                      decoded frame's bytes, not a copy
 */
public record Envelope(FrameType type, UUID messageId, UUID correlationId, long timestamp, String contentType,
                       String routingKey, Map<String, String> attributes, ByteBuffer payload) implements Frame {

    public Envelope {
        Objects.requireNonNull(type, "type");
        if (!type.isEnvelope()) {
            throw new IllegalArgumentException("an envelope is an EVENT, REQUEST or REPLY, not " + type);
        }
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(payload, "payload");
        if (type == FrameType.REPLY && correlationId == null) {
            throw new IllegalArgumentException("a REPLY needs the REQUEST's message id as correlation id");
        }
        payload = payload.isReadOnly() ? payload : payload.asReadOnlyBuffer();
    }

    /** An EVENT with no correlation id and no attributes. */
    public static Envelope event(UUID messageId, long timestamp, String contentType, String routingKey, byte[] payload) {
        return new Envelope(FrameType.EVENT, messageId, null, timestamp, contentType, routingKey, Map.of(),
                ByteBuffer.wrap(payload));
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(type).append(" id=").append(messageId);
        if (correlationId != null) {
            text.append(" correlation=").append(correlationId);
        }
        text.append(" ts=").append(timestamp).append(" key=").append(routingKey).append(" content-type=")
                .append(contentType).append(" attributes=").append(attributes).append(" payload=")
                .append(payload.remaining()).append(" bytes");
        if (contentType.startsWith("application/json") || contentType.startsWith("text/")) {
            text.append(' ').append(StandardCharsets.UTF_8.decode(payload.duplicate()));
        }
        return text.toString();
    }
}

package io.gamewire.bench;

import io.gamewire.protocol.FrameType;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope's fields as Jackson maps them: what a JSON envelope carrying the same event would be.
 * The payload is {@code byte[]}, which Jackson writes as a base64 string: like GWP it carries the
 * payload as opaque bytes of any content type, where embedding it as raw JSON would only work for
 * JSON payloads and would make the reader parse the payload too.
 */
record EventJson(FrameType type, UUID messageId, UUID correlationId, long timestamp, String contentType,
                 String routingKey, Map<String, String> attributes, byte[] payload) {
}

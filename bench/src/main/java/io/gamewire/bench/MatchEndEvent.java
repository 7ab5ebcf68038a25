package io.gamewire.bench;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The event both codecs are measured with: a Halo match-end EVENT with every envelope field set
 * (correlation id, two attributes) and a 115-byte JSON payload; 217 bytes as a GWP frame.
 */
final class MatchEndEvent {

    static final UUID MESSAGE_ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-0123456789ab");
    static final UUID CORRELATION_ID = UUID.fromString("0190b6c2-7e01-7d42-9a1b-fedcba987654");
    static final long TIMESTAMP = 1_767_225_600_123L;
    static final String CONTENT_TYPE = "application/json";
    static final String ROUTING_KEY = "halo.prod.stats.match_end";
    static final String PAYLOAD = "{\"matchId\":\"m-88213\",\"map\":\"forge_world\",\"mode\":\"ctf\",\"winner\":\"red\","
            + "\"score\":[3,1],\"durationMs\":754000,\"players\":8}";

    private MatchEndEvent() {
    }

    static Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "eu-west");
        attributes.put("shard", "7");
        return attributes;
    }

    static byte[] payload() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    static Envelope envelope() {
        return new Envelope(FrameType.EVENT, MESSAGE_ID, CORRELATION_ID, TIMESTAMP, CONTENT_TYPE, ROUTING_KEY,
                attributes(), ByteBuffer.wrap(payload()));
    }

    static EventJson json() {
        return new EventJson(FrameType.EVENT, MESSAGE_ID, CORRELATION_ID, TIMESTAMP, CONTENT_TYPE, ROUTING_KEY,
                attributes(), payload());
    }
}

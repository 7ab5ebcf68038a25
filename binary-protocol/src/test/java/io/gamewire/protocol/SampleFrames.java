package io.gamewire.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Frames of every type, with edge cases, shared by the codec and the Netty codec tests. */
public final class SampleFrames {

    public static final UUID ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-0123456789ab");
    public static final UUID OTHER = UUID.fromString("0190b6c2-7f3e-7abc-8def-ba9876543210");

    private SampleFrames() {
    }

    /** An EVENT with a correlation id, a custom content type and non-ASCII attributes. */
    public static Envelope richEvent() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "eu-west");
        attributes.put("säson", "wïnter ☃");
        return new Envelope(FrameType.EVENT, ID, OTHER, 1_700_000_000_000L, "application/vnd.halo.stats+json",
                "halo.prod.stats.match_end", attributes,
                ByteBuffer.wrap("{\"kills\":7}".getBytes(StandardCharsets.UTF_8)));
    }

    /** At least one frame of every type: non-ASCII key, empty payload, unknown error code, extreme nonces. */
    public static List<Frame> everyFrameType() {
        return List.of(
                new AuthFrame(ID, "k3y-ÄÖ", "match-server/2.1"),
                Envelope.event(ID, 1_700_000_000_000L, "application/json", "halo.prod.stats.match_end",
                        "{\"kills\":7}".getBytes(StandardCharsets.UTF_8)),
                richEvent(),
                new Envelope(FrameType.REQUEST, ID, null, 5, "application/octet-stream", "halo.prod.players.get",
                        Map.of(), ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff})),
                new Envelope(FrameType.REPLY, OTHER, ID, 6, "application/json", "halo.prod.players.get", Map.of(),
                        ByteBuffer.allocate(0)),
                new AckFrame(ID),
                new ErrorFrame(ErrorCode.PUBLISH_FAILED, ID, "broker did not confirm"),
                new ErrorFrame(4711, ErrorFrame.CONNECTION, ""),
                new PingFrame(-1L),
                new PongFrame(Long.MAX_VALUE));
    }
}

package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static final UUID ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-0123456789ab");
    private static final UUID OTHER = UUID.fromString("0190b6c2-7f3e-7abc-8def-ba9876543210");
    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static Envelope event(Map<String, String> attributes, String contentType, String payload) {
        return new Envelope(FrameType.EVENT, ID, null, 1_700_000_000_000L, contentType, "halo.prod.stats.match_end",
                attributes, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private Frame roundTrip(Frame frame) throws Exception {
        byte[] bytes = codec.encode(frame);
        assertThat(bytes).hasSize(codec.encodedLength(frame));
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Frame decoded = codec.decode(in);
        assertThat(in.hasRemaining()).as("whole frame consumed").isFalse();
        return decoded;
    }

    @Test
    void everyFrameTypeSurvivesARoundTrip() throws Exception {
        for (Frame frame : SampleFrames.everyFrameType()) {
            assertThat(roundTrip(frame)).as(frame.toString()).isEqualTo(frame);
        }
    }

    @Test
    void decodedPayloadIsAReadOnlyViewOfTheInputNotACopy() throws Exception {
        byte[] bytes = codec.encode(event(Map.of(), "application/json", "{\"a\":1}"));
        Envelope decoded = (Envelope) codec.decode(ByteBuffer.wrap(bytes));

        assertThat(decoded.payload().isReadOnly()).isTrue();
        bytes[bytes.length - 2] = '2';
        assertThat(new String(decoded.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}");
    }

    @Test
    void unknownErrorCodesAreKept() throws Exception {
        ErrorFrame decoded = (ErrorFrame) roundTrip(new ErrorFrame(4711, ID, "from a newer peer"));

        assertThat(decoded.code()).isEqualTo(4711);
        assertThat(decoded.knownCode()).isNull();
    }

    @Test
    void headerIsCheckedFromItsFirstBytes() {
        assertThat(code(() -> codec.checkHeader(ByteBuffer.wrap(new byte[] {'G', 'E'}))))
                .isEqualTo(ErrorCode.BAD_MAGIC);
        assertThat(code(() -> codec.checkHeader(ByteBuffer.wrap(new byte[] {'G', 'W', 2}))))
                .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(code(() -> codec.checkHeader(ByteBuffer.wrap(new byte[] {'G', 'W', 1, 0x7f}))))
                .isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @Test
    void aPartialHeaderIsNotAnError() throws Exception {
        assertThat(codec.checkHeader(ByteBuffer.wrap(new byte[] {'G'}))).isEqualTo(-1);
        assertThat(codec.checkHeader(ByteBuffer.wrap(new byte[] {'G', 'W', 1, 2, 0, 0}))).isEqualTo(-1);
    }

    @Test
    void frameLengthOverTheLimitIsRefusedBeforeTheBodyArrives() {
        EnvelopeCodec small = new EnvelopeCodec(new GwpLimits(100, 16, 1024));
        ByteBuffer header = ByteBuffer.allocate(8).putShort((short) 0x4757).put((byte) 1).put((byte) 2).putInt(101).flip();

        assertThatThrownBy(() -> small.checkHeader(header))
                .isInstanceOfSatisfying(MalformedFrameException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE))
                .hasMessage("frame length 101 bytes is over the limit of 100 (gamewire.gwp.max-frame-bytes)");
    }

    @Test
    void encodeRefusesWhatDecodeWouldRefuse() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
            many.put("a" + i, "v");
        }
        assertThatThrownBy(() -> codec.encode(event(many, "application/json", "{}")))
                .hasMessage("17 attributes, the limit is 16 (gamewire.gwp.max-attributes)");
        assertThatThrownBy(() -> codec.encode(new Envelope(FrameType.EVENT, ID, null, 0, "application/json",
                "a".repeat(132), Map.of(), ByteBuffer.allocate(0))))
                .hasMessage("routing key is 132 bytes, it must be 1 to 131 (fixed by the protocol)");
        assertThatThrownBy(() -> codec.encode(event(Map.of("k", "x".repeat(1025)), "application/json", "{}")))
                .hasMessage("attribute 'k' value is 1025 bytes, the limit is 1024 (gamewire.gwp.max-attribute-value-bytes)");
        assertThatThrownBy(() -> codec.encode(event(Map.of(), "application/jsön", "{}")))
                .hasMessageContaining("custom content type has character U+00F6 at position 15");
        assertThatThrownBy(() -> codec.encode(new AuthFrame(ID, "", "x")))
                .hasMessage("AUTH api key is 0 bytes, it must be 1 to 256 (fixed by the protocol)");
        assertThatThrownBy(() -> new EnvelopeCodec(new GwpLimits(64, 16, 1024)).encode(event(Map.of(), "application/json", "x".repeat(100))))
                .hasMessageContaining("over the limit of 64 (gamewire.gwp.max-frame-bytes)");
    }

    @Test
    void anAuthApiKeyOf256BytesIsTakenAndOneOf257IsLimitExceeded() throws Exception {
        String longest = "k".repeat(GwpLimits.MAX_API_KEY_BYTES);
        assertThat(roundTrip(new AuthFrame(ID, longest, ""))).isEqualTo(new AuthFrame(ID, longest, ""));

        // written by hand: the encoder refuses to produce it
        byte[] key = "k".repeat(257).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer auth = ByteBuffer.allocate(8 + 16 + 2 + key.length + 1)
                .putShort((short) 0x4757).put((byte) 1).put((byte) FrameType.AUTH.code()).putInt(16 + 2 + key.length + 1)
                .putLong(ID.getMostSignificantBits()).putLong(ID.getLeastSignificantBits())
                .putShort((short) key.length).put(key).put((byte) 0).flip();

        assertThatThrownBy(() -> codec.decode(auth))
                .isInstanceOfSatisfying(MalformedFrameException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
                .hasMessage("AUTH api key is 257 bytes, it must be 1 to 256 (fixed by the protocol)");
        assertThatThrownBy(() -> codec.encode(new AuthFrame(ID, "k".repeat(257), "")))
                .hasMessage("AUTH api key is 257 bytes, it must be 1 to 256 (fixed by the protocol)");
    }

    @Test
    void truncatedAndTrailingBytesAreMalformed() throws Exception {
        byte[] whole = codec.encode(new AckFrame(ID));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 1);
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(truncated)))
                .hasMessage("frame is truncated: length field says 16 bytes, 15 follow");

        byte[] longer = java.util.Arrays.copyOf(whole, whole.length + 1);
        longer[7] = 17;
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(longer)))
                .hasMessage("ACK frame has 1 byte(s) after its last field (length field says 17)");

        byte[] shorter = java.util.Arrays.copyOf(whole, whole.length);
        shorter[7] = 15;
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(shorter)))
                .hasMessage("ACK frame body of 15 bytes ends inside a field");
    }

    @Test
    void reservedFlagBitsAndMissingReplyCorrelationAreMalformed() throws Exception {
        byte[] event = codec.encode(event(Map.of(), "application/json", "{}"));
        event[8] = 0x02;
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(event)))
                .hasMessage("EVENT flags 0x02 set reserved bits (only 0x01, correlation id, is defined)");

        byte[] reply = codec.encode(new Envelope(FrameType.REQUEST, ID, null, 0, "application/json", "a.b.c.d", Map.of(),
                ByteBuffer.allocate(0)));
        reply[3] = (byte) FrameType.REPLY.code();
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(reply)))
                .hasMessageContaining("has no correlation id");
    }

    @Test
    void badUtf8AndNonAsciiKeysAreMalformed() throws Exception {
        byte[] auth = codec.encode(new AuthFrame(ID, "ab", ""));
        auth[8 + 16 + 2] = (byte) 0xC3; // a lead byte followed by 'b': not UTF-8
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(auth))).hasMessage("AUTH api key is not valid UTF-8");

        byte[] event = codec.encode(event(Map.of(), "application/json", "{}"));
        int keyStart = 8 + 1 + 16 + 8 + 1 + 1;
        event[keyStart] = 0x01;
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(event)))
                .hasMessage("routing key has byte 0x01 at position 1; only printable ASCII is allowed");
    }

    @Test
    void decodesFramesBackToBackFromOneBuffer() throws Exception {
        ByteBuffer stream = ByteBuffer.allocate(200);
        codec.encode(new PingFrame(1), stream);
        codec.encode(new AckFrame(ID), stream);
        stream.flip();

        assertThat(codec.decode(stream)).isEqualTo(new PingFrame(1));
        assertThat(codec.decode(stream)).isEqualTo(new AckFrame(ID));
        assertThat(stream.hasRemaining()).isFalse();
    }

    private interface Check {
        void run() throws Exception;
    }

    private static ErrorCode code(Check check) {
        try {
            check.run();
        } catch (MalformedFrameException e) {
            return e.code();
        } catch (Exception e) {
            throw new AssertionError("expected a MalformedFrameException, got " + e, e);
        }
        throw new AssertionError("expected a MalformedFrameException, nothing was thrown");
    }
}

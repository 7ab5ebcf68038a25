package io.gamewire.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The seed corpus of {@link EnvelopeDecoderFuzzTest}: valid frames of every type, encoded by
 * {@link EnvelopeCodec}, and corrupt frames made from them by changing a few bytes. The files under
 * {@code src/test/resources/io/gamewire/protocol/EnvelopeDecoderFuzzTestInputs/decodeArbitraryBytes/}
 * are these bytes, one file per seed named after it; {@link EnvelopeDecoderFuzzTest} checks that they
 * still are. To write them again after a protocol change (from {@code binary-protocol/}, after
 * {@code mvn test-compile}):
 *
 * <pre>
 * java -cp target/classes:target/test-classes io.gamewire.protocol.EnvelopeDecoderFuzzSeeds \
 *     src/test/resources/io/gamewire/protocol/EnvelopeDecoderFuzzTestInputs/decodeArbitraryBytes
 * </pre>
 */
final class EnvelopeDecoderFuzzSeeds {

    /** The limits the fuzz test decodes with: small, so that the fuzzer reaches every limit quickly. */
    static final GwpLimits LIMITS = new GwpLimits(4096, 8, 256);

    private static final UUID ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-0123456789ab");
    private static final UUID REQUEST_ID = UUID.fromString("0190b6c2-7f3e-7abc-8def-ba9876543210");
    private static final long TIMESTAMP = 1_767_225_600_000L;
    private static final String KEY = "halo.prod.stats.match_end";
    private static final String JSON = "{\"matchId\":\"m-88213\",\"map\":\"forge_world\",\"winner\":\"red\","
            + "\"durationMs\":754000,\"players\":8,\"mode\":\"ctf\"}";

    /** Byte offsets in an EVENT without correlation id and with a predefined content type. */
    static final int FLAGS_AT = EnvelopeCodec.HEADER_BYTES;
    static final int CONTENT_TYPE_AT = FLAGS_AT + 1 + EnvelopeCodec.MESSAGE_ID_BYTES + 8;
    static final int KEY_LENGTH_AT = CONTENT_TYPE_AT + 1;
    static final int ATTRIBUTE_COUNT_AT = KEY_LENGTH_AT + 1 + KEY.length();

    private EnvelopeDecoderFuzzSeeds() {
    }

    /** One seed: its file name, its bytes, and the error code decoding it must fail with (null: it must decode). */
    record Seed(String name, byte[] bytes, ErrorCode expectedError) {
    }

    static Map<String, Seed> all() {
        EnvelopeCodec codec = new EnvelopeCodec(LIMITS);
        Map<String, Seed> seeds = new LinkedHashMap<>();
        try {
            valid(codec, seeds);
            corrupt(codec, seeds);
        } catch (MalformedFrameException e) {
            throw new IllegalStateException("a valid seed frame did not encode: " + e.getMessage(), e);
        }
        return seeds;
    }

    private static void valid(EnvelopeCodec codec, Map<String, Seed> seeds) throws MalformedFrameException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "eu-west");
        attributes.put("build", "2.14.0-rc1");
        add(seeds, "valid-auth", codec.encode(new AuthFrame(ID, "gw_live_3f9a0c71d2", "match-server/2.1")));
        add(seeds, "valid-auth-non-ascii", codec.encode(new AuthFrame(ID, "ключ-€-\uD83C\uDFAE", "")));
        add(seeds, "valid-event", codec.encode(event(attributes, "application/json", JSON)));
        add(seeds, "valid-event-no-attributes", codec.encode(event(Map.of(), "application/json", "{}")));
        add(seeds, "valid-event-custom-content-type", codec.encode(
                event(Map.of("säson", "wïnter ☃"), "application/vnd.halo.stats+json", JSON)));
        add(seeds, "valid-event-correlated", codec.encode(new Envelope(FrameType.EVENT, ID, REQUEST_ID, TIMESTAMP,
                "text/plain; charset=utf-8", KEY, Map.of(), utf8("match over"))));
        add(seeds, "valid-request", codec.encode(new Envelope(FrameType.REQUEST, REQUEST_ID, null, TIMESTAMP,
                "application/octet-stream", "halo.prod.players.get", Map.of("timeout-ms", "2000"),
                ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}))));
        add(seeds, "valid-reply", codec.encode(new Envelope(FrameType.REPLY, ID, REQUEST_ID, TIMESTAMP,
                "application/cbor", "halo.prod.players.get", Map.of(), ByteBuffer.allocate(0))));
        add(seeds, "valid-ack", codec.encode(new AckFrame(ID)));
        add(seeds, "valid-error", codec.encode(new ErrorFrame(ErrorCode.PUBLISH_FAILED, ID, "broker did not confirm")));
        add(seeds, "valid-error-unknown-code", codec.encode(new ErrorFrame(4711, ErrorFrame.CONNECTION, "")));
        add(seeds, "valid-ping", codec.encode(new PingFrame(-1L)));
        add(seeds, "valid-pong", codec.encode(new PongFrame(Long.MAX_VALUE)));

        // every limit reached but none exceeded
        Map<String, String> full = new LinkedHashMap<>();
        for (int i = 0; i < LIMITS.maxAttributes(); i++) {
            full.put("a".repeat(GwpLimits.MAX_ATTRIBUTE_NAME_BYTES - 1) + i, "v".repeat(LIMITS.maxAttributeValueBytes()));
        }
        String longType = "x/" + "y".repeat(GwpLimits.MAX_CONTENT_TYPE_BYTES - 2);
        String longKey = "k".repeat(RoutingKey.MAX_LENGTH);
        Envelope withoutPayload = new Envelope(FrameType.EVENT, ID, REQUEST_ID, TIMESTAMP, longType, longKey, full,
                ByteBuffer.allocate(0));
        int room = LIMITS.maxFrameBytes() - (codec.encodedLength(withoutPayload) - EnvelopeCodec.HEADER_BYTES);
        add(seeds, "valid-event-at-every-limit", codec.encode(new Envelope(FrameType.EVENT, ID, REQUEST_ID, TIMESTAMP,
                longType, longKey, full, ByteBuffer.allocate(room))));

        // "application/json" sent as a custom type: decodes to the same frame that has code 1
        byte[] predefined = codec.encode(event(Map.of(), "application/json", "{}"));
        byte[] custom = ByteBuffer.allocate(predefined.length + 1 + "application/json".length())
                .put(predefined, 0, CONTENT_TYPE_AT)
                .put((byte) ContentTypes.CUSTOM).put((byte) "application/json".length()).put(ascii("application/json"))
                .put(predefined, CONTENT_TYPE_AT + 1, predefined.length - CONTENT_TYPE_AT - 1)
                .array();
        ByteBuffer.wrap(custom).putInt(4, custom.length - EnvelopeCodec.HEADER_BYTES);
        add(seeds, "valid-event-predefined-type-sent-as-custom", custom);

        // two frames back to back: decode reads the first one only
        byte[] ping = codec.encode(new PingFrame(7));
        byte[] twice = Arrays.copyOf(ping, 2 * ping.length);
        System.arraycopy(ping, 0, twice, ping.length, ping.length);
        add(seeds, "valid-ping-then-another", twice);
    }

    private static void corrupt(EnvelopeCodec codec, Map<String, Seed> seeds) throws MalformedFrameException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "eu-west");
        attributes.put("build", "2.14.0-rc1");
        byte[] event = codec.encode(event(attributes, "application/json", JSON));

        add(seeds, "corrupt-bad-magic", patch(event, 1, 'E'), ErrorCode.BAD_MAGIC);
        add(seeds, "corrupt-version-2", patch(event, 2, 2), ErrorCode.UNSUPPORTED_VERSION);
        add(seeds, "corrupt-unknown-type", patch(event, 3, 0x7f), ErrorCode.UNKNOWN_FRAME_TYPE);
        add(seeds, "corrupt-length-over-limit",
                patchInt(event, 4, LIMITS.maxFrameBytes() + 1), ErrorCode.FRAME_TOO_LARGE);
        add(seeds, "corrupt-length-max-u32", patchInt(event, 4, -1), ErrorCode.FRAME_TOO_LARGE);
        add(seeds, "corrupt-header-only", Arrays.copyOf(event, 5), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-truncated-in-routing-key",
                Arrays.copyOf(event, ATTRIBUTE_COUNT_AT - 3), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-length-ends-in-routing-key",
                patchInt(event, 4, ATTRIBUTE_COUNT_AT - 3 - EnvelopeCodec.HEADER_BYTES), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-reserved-flag", patch(event, FLAGS_AT, 0x80), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-unknown-content-type", patch(event, CONTENT_TYPE_AT, 0x7f), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-empty-routing-key", patch(event, KEY_LENGTH_AT, 0), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-routing-key-over-131", patch(event, KEY_LENGTH_AT, 200), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-control-char-in-routing-key",
                patch(event, KEY_LENGTH_AT + 5, 0x0a), ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-attribute-count-over-limit",
                patch(event, ATTRIBUTE_COUNT_AT, LIMITS.maxAttributes() + 1), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-attribute-count-255", patch(event, ATTRIBUTE_COUNT_AT, 255), ErrorCode.LIMIT_EXCEEDED);
        int firstName = ATTRIBUTE_COUNT_AT + 2;
        add(seeds, "corrupt-attribute-name-bad-utf8", patch(event, firstName, 0xC3), ErrorCode.MALFORMED_FRAME);
        int firstValueLength = firstName + "region".length();
        add(seeds, "corrupt-attribute-value-over-limit",
                patchShort(event, firstValueLength, LIMITS.maxAttributeValueBytes() + 1), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-attribute-value-length-ffff",
                patchShort(event, firstValueLength, 0xFFFF), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-duplicate-attribute", duplicateAttribute(codec), ErrorCode.MALFORMED_FRAME);

        byte[] reply = codec.encode(new Envelope(FrameType.REQUEST, ID, null, TIMESTAMP, "application/json",
                "halo.prod.players.get", Map.of(), utf8("{}")));
        add(seeds, "corrupt-reply-without-correlation",
                patch(reply, 3, FrameType.REPLY.code()), ErrorCode.MALFORMED_FRAME);

        byte[] ping = codec.encode(new PingFrame(1));
        byte[] pingWithTrailer = Arrays.copyOf(ping, ping.length + 1);
        ByteBuffer.wrap(pingWithTrailer).putInt(4, 9);
        add(seeds, "corrupt-ping-trailing-byte", pingWithTrailer, ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-ping-short-body", patchInt(Arrays.copyOf(ping, ping.length - 1), 4, 7),
                ErrorCode.MALFORMED_FRAME);

        byte[] auth = codec.encode(new AuthFrame(ID, "ab", "client"));
        int authKeyLength = EnvelopeCodec.HEADER_BYTES + EnvelopeCodec.MESSAGE_ID_BYTES;
        add(seeds, "corrupt-auth-empty-key", patchShort(auth, authKeyLength, 0), ErrorCode.MALFORMED_FRAME);
        // the key's length field alone is over the protocol's 256 bytes: refused before the key is read
        add(seeds, "corrupt-auth-key-over-256", patchShort(auth, authKeyLength, 257), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-auth-overlong-utf8", patch(patch(auth, authKeyLength + 2, 0xC0), authKeyLength + 3, 0x80),
                ErrorCode.MALFORMED_FRAME);
        add(seeds, "corrupt-auth-client-name-over-64",
                patch(auth, authKeyLength + 2 + 2, 65), ErrorCode.LIMIT_EXCEEDED);

        byte[] error = codec.encode(new ErrorFrame(ErrorCode.INTERNAL_ERROR, ID, "x"));
        int errorTextLength = EnvelopeCodec.HEADER_BYTES + 2 + EnvelopeCodec.MESSAGE_ID_BYTES;
        add(seeds, "corrupt-error-text-over-1024", patchShort(error, errorTextLength, 1025), ErrorCode.LIMIT_EXCEEDED);
        add(seeds, "corrupt-error-text-surrogate", patchText(error, errorTextLength, new byte[] {
            (byte) 0xED, (byte) 0xA0, (byte) 0x80}), ErrorCode.MALFORMED_FRAME);
    }

    /** An EVENT whose two attributes have the same name: the encoder cannot produce it from a Map. */
    private static byte[] duplicateAttribute(EnvelopeCodec codec) throws MalformedFrameException {
        Map<String, String> two = new LinkedHashMap<>();
        two.put("aa", "1");
        two.put("ab", "2");
        byte[] bytes = codec.encode(event(two, "application/json", "{}"));
        int secondName = ATTRIBUTE_COUNT_AT + 1 + 1 + 2 + 2 + 1 + 1;
        return patch(bytes, secondName + 1, 'a');
    }

    private static Envelope event(Map<String, String> attributes, String contentType, String payload) {
        return new Envelope(FrameType.EVENT, ID, null, TIMESTAMP, contentType, KEY, attributes, utf8(payload));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] patch(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] patchShort(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putShort(at, (short) value);
        return copy;
    }

    private static byte[] patchInt(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(at, value);
        return copy;
    }

    /** Replaces the u16-prefixed text at {@code lengthAt} (the frame's last field) by {@code text}. */
    private static byte[] patchText(byte[] frame, int lengthAt, byte[] text) {
        ByteBuffer out = ByteBuffer.allocate(lengthAt + 2 + text.length)
                .put(frame, 0, lengthAt).putShort((short) text.length).put(text);
        out.putInt(4, out.capacity() - EnvelopeCodec.HEADER_BYTES);
        return out.array();
    }

    private static void add(Map<String, Seed> seeds, String name, byte[] bytes) {
        add(seeds, name, bytes, null);
    }

    private static void add(Map<String, Seed> seeds, String name, byte[] bytes, ErrorCode expectedError) {
        if (seeds.put(name, new Seed(name, bytes, expectedError)) != null) {
            throw new IllegalStateException("two seeds are named " + name);
        }
    }

    /** Writes every seed into the directory given as the only argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: EnvelopeDecoderFuzzSeeds <inputs directory>");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        try {
            Files.createDirectories(directory);
            for (Seed seed : all().values()) {
                Files.write(directory.resolve(seed.name()), seed.bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(all().size() + " seeds written to " + directory);
    }
}

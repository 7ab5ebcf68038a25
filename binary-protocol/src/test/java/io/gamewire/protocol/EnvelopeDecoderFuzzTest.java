package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link EnvelopeCodec#decode} and {@link EnvelopeCodec#checkHeader} with arbitrary bytes.
 *
 * <p>What must hold for every input: the codec throws nothing but {@link MalformedFrameException};
 * a heap buffer and a direct buffer at another position decode alike; a decoded frame stays within
 * {@link EnvelopeDecoderFuzzSeeds#LIMITS} and decoding it allocates at most
 * {@link #ALLOCATION_BUDGET_BYTES}; a decoded frame re-encodes to bytes that decode to an equal
 * frame, and those bytes are the input's own unless the input spelled out a predefined content type.
 *
 * <p>Plain {@code mvn test} runs this in Jazzer's regression mode: only the empty input and the
 * committed seeds in {@code src/test/resources/io/gamewire/protocol/EnvelopeDecoderFuzzTestInputs/
 * decodeArbitraryBytes/} (see {@link EnvelopeDecoderFuzzSeeds}), in about a second. Fuzzing for real
 * takes {@code JAZZER_FUZZ=1} and stops after the annotation's {@code maxDuration} (see
 * {@code binary-protocol/FUZZING.md}).
 */
class EnvelopeDecoderFuzzTest {

    /**
     * Over twice what the largest frame within the limits takes to decode (about 13 KiB for a 4 KiB
     * frame at every limit), and half of one buffer sized from an unchecked 16-bit length field.
     */
    static final long ALLOCATION_BUDGET_BYTES = 32 * 1024;

    private static final String INPUTS = "EnvelopeDecoderFuzzTestInputs/decodeArbitraryBytes/";
    private static final int DIRECT_OFFSET = 3;
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(EnvelopeDecoderFuzzSeeds.LIMITS);
    private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

    /** Reused across inputs: allocating a direct buffer per input would slow fuzzing down. */
    private static ByteBuffer directScratch = ByteBuffer.allocateDirect(16 * 1024);

    /** What one decode did: a frame and the bytes it took, or the error code it refused the input with. */
    private record Outcome(Frame frame, int consumed, ErrorCode error) {
    }

    @FuzzTest(maxDuration = "3m")
    void decodeArbitraryBytes(byte[] input) {
        checkHeaderOnEveryPrefix(input);

        Outcome heap = decodeOrFail(ByteBuffer.wrap(input), 0, input);
        assertAllocationWithinBudget(input, heap);

        ByteBuffer direct = directBuffer(DIRECT_OFFSET + input.length);
        direct.put(new byte[] {(byte) 0xFF, 'G', 'W'}).put(input).flip().position(DIRECT_OFFSET);
        Outcome fromDirect = decodeOrFail(direct, DIRECT_OFFSET, input);
        assertThat(fromDirect).as("a direct buffer at position 3 decodes like a heap buffer").isEqualTo(heap);

        if (heap.frame() != null) {
            assertWithinLimits(heap.frame(), heap.consumed());
            assertReEncodesToAnEqualFrame(heap.frame(), Arrays.copyOf(input, heap.consumed()));
        }
    }

    /** The committed seeds are the ones {@link EnvelopeDecoderFuzzSeeds} makes, so a codec change cannot leave them stale. */
    @Test
    void committedSeedsAreTheGeneratedOnesAndCoverEveryFrameType() throws IOException {
        Map<String, EnvelopeDecoderFuzzSeeds.Seed> seeds = EnvelopeDecoderFuzzSeeds.all();
        EnumSet<FrameType> validTypes = EnumSet.noneOf(FrameType.class);
        for (EnvelopeDecoderFuzzSeeds.Seed seed : seeds.values()) {
            try (InputStream in = getClass().getResourceAsStream(INPUTS + seed.name())) {
                assertThat(in).as("seed file %s%s (write it with EnvelopeDecoderFuzzSeeds.main)", INPUTS, seed.name())
                        .isNotNull();
                assertThat(in.readAllBytes()).as("seed file %s", seed.name()).containsExactly(seed.bytes());
            }
            Outcome outcome = decodeOrFail(ByteBuffer.wrap(seed.bytes()), 0, seed.bytes());
            assertThat(outcome.error()).as("error decoding seed %s", seed.name()).isEqualTo(seed.expectedError());
            if (outcome.frame() != null) {
                validTypes.add(outcome.frame().type());
            }
        }
        assertThat(validTypes).containsExactlyInAnyOrder(FrameType.values());
        assertThat(seeds.values().stream().filter(seed -> seed.expectedError() != null))
                .extracting(EnvelopeDecoderFuzzSeeds.Seed::expectedError)
                .contains(ErrorCode.BAD_MAGIC, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.UNKNOWN_FRAME_TYPE,
                        ErrorCode.FRAME_TOO_LARGE, ErrorCode.MALFORMED_FRAME, ErrorCode.LIMIT_EXCEEDED);
    }

    /** checkHeader never consumes, refuses a prefix only if it refuses every longer one alike, and gives a length only for 8+ bytes. */
    private static void checkHeaderOnEveryPrefix(byte[] input) {
        ErrorCode earlier = null;
        for (int length = 0; length <= Math.min(input.length, EnvelopeCodec.HEADER_BYTES); length++) {
            ByteBuffer prefix = ByteBuffer.wrap(input, 0, length);
            ErrorCode refused = null;
            try {
                int bodyLength = CODEC.checkHeader(prefix);
                if (length < EnvelopeCodec.HEADER_BYTES) {
                    assertThat(bodyLength).as("checkHeader of %d bytes", length).isEqualTo(-1);
                } else {
                    assertThat(bodyLength).as("body length from checkHeader")
                            .isBetween(0, EnvelopeDecoderFuzzSeeds.LIMITS.maxFrameBytes());
                }
            } catch (MalformedFrameException e) {
                refused = Objects.requireNonNull(e.code(), "MalformedFrameException without a code");
            } catch (RuntimeException | Error e) {
                throw unexpected("checkHeader", input, e);
            }
            assertThat(prefix.position()).as("checkHeader consumed nothing").isZero();
            assertThat(refused).as("checkHeader of %d bytes after a shorter prefix was refused", length)
                    .isEqualTo(earlier == null ? refused : earlier);
            earlier = refused;
        }
    }

    /** Decodes, allowing no failure but MalformedFrameException. */
    private static Outcome decodeOrFail(ByteBuffer in, int start, byte[] input) {
        try {
            Frame frame = CODEC.decode(in);
            assertThat(frame).as("decoded frame").isNotNull();
            return new Outcome(frame, in.position() - start, null);
        } catch (MalformedFrameException e) {
            assertThat(e.getMessage()).as("message of %s", e.code()).isNotBlank();
            return new Outcome(null, 0, Objects.requireNonNull(e.code(), "MalformedFrameException without a code"));
        } catch (RuntimeException | Error e) {
            if (e instanceof AssertionError) {
                throw e;
            }
            throw unexpected("decode", input, e);
        }
    }

    /**
     * Decodes the input once more and measures what that allocates. The first decode above took the
     * same path, so class loading and call-site linking are not counted.
     */
    private static void assertAllocationWithinBudget(byte[] input, Outcome first) {
        if (THREADS == null) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(input);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Frame frame = null;
        ErrorCode error = null;
        try {
            frame = CODEC.decode(in);
        } catch (MalformedFrameException e) {
            error = e.code();
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(new Outcome(frame, frame == null ? 0 : in.position(), error)).as("second decode of the same bytes")
                .isEqualTo(first);
        assertThat(allocated).as("bytes allocated decoding %d input bytes (%s)", input.length,
                first.error() != null ? first.error() : first.frame().type()).isLessThanOrEqualTo(ALLOCATION_BUDGET_BYTES);
    }

    private static void assertWithinLimits(Frame frame, int consumed) {
        GwpLimits limits = EnvelopeDecoderFuzzSeeds.LIMITS;
        assertThat(consumed - EnvelopeCodec.HEADER_BYTES).as("body length").isBetween(0, limits.maxFrameBytes());
        if (frame instanceof Envelope envelope) {
            assertThat(envelope.payload().isReadOnly()).as("payload is read-only").isTrue();
            assertThat(envelope.payload().remaining()).as("payload bytes").isLessThan(consumed);
            assertThat(envelope.attributes()).as("attributes").hasSizeLessThanOrEqualTo(limits.maxAttributes());
            envelope.attributes().forEach((name, value) -> {
                assertThat(utf8Length(name)).as("attribute name bytes").isBetween(1, GwpLimits.MAX_ATTRIBUTE_NAME_BYTES);
                assertThat(utf8Length(value)).as("attribute '%s' value bytes", name)
                        .isLessThanOrEqualTo(limits.maxAttributeValueBytes());
            });
            assertThat(envelope.routingKey().length()).as("routing key length").isBetween(1, RoutingKey.MAX_LENGTH);
            assertThat(envelope.routingKey()).as("routing key").matches("[\\x20-\\x7e]+");
            assertThat(envelope.contentType()).as("content type").matches("[\\x20-\\x7e]{1,127}");
        } else if (frame instanceof AuthFrame auth) {
            assertThat(utf8Length(auth.apiKey())).as("api key bytes").isBetween(1, GwpLimits.MAX_API_KEY_BYTES);
            assertThat(utf8Length(auth.clientName())).as("client name bytes").isBetween(0, GwpLimits.MAX_CLIENT_NAME_BYTES);
        } else if (frame instanceof ErrorFrame error) {
            assertThat(utf8Length(error.text())).as("error text bytes").isBetween(0, GwpLimits.MAX_ERROR_TEXT_BYTES);
        }
    }

    private static void assertReEncodesToAnEqualFrame(Frame frame, byte[] original) {
        byte[] encoded;
        Frame again;
        ByteBuffer in;
        try {
            assertThat(CODEC.encodedLength(frame)).as("encodedLength of %s", frame.type()).isPositive();
            encoded = CODEC.encode(frame);
            in = ByteBuffer.wrap(encoded);
            again = CODEC.decode(in);
        } catch (MalformedFrameException e) {
            throw new AssertionError("a decoded " + frame.type() + " frame does not re-encode and decode: " + e.getMessage()
                    + "\ninput: " + HexFormat.of().formatHex(original), e);
        }
        assertThat(encoded).as("re-encoded length").hasSize(encodedLengthOf(frame));
        assertThat(in.hasRemaining()).as("decode of the re-encoded frame consumed it whole").isFalse();
        assertThat(again).as("decode(encode(decode(input)))").isEqualTo(frame);
        if (!Arrays.equals(encoded, original)) {
            // the one spelling the encoder does not keep: a custom content type that has a code
            boolean predefinedTypeSentAsCustom = frame instanceof Envelope envelope
                    && ContentTypes.codeOf(envelope.contentType()) != ContentTypes.CUSTOM
                    && original.length - encoded.length == 1 + envelope.contentType().length();
            assertThat(predefinedTypeSentAsCustom)
                    .as("re-encoded %s differs from its input\ninput:      %s\nre-encoded: %s", frame.type(),
                            HexFormat.of().formatHex(original), HexFormat.of().formatHex(encoded))
                    .isTrue();
        }
    }

    private static int encodedLengthOf(Frame frame) {
        try {
            return CODEC.encodedLength(frame);
        } catch (MalformedFrameException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer directBuffer(int capacity) {
        if (directScratch.capacity() < capacity) {
            directScratch = ByteBuffer.allocateDirect(capacity);
        }
        return directScratch.clear();
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static AssertionError unexpected(String method, byte[] input, Throwable e) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 512));
        return new AssertionError(method + " threw " + e + "; only MalformedFrameException is allowed\ninput ("
                + input.length + " bytes): " + hex + (input.length > 512 ? "..." : ""), e);
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads;
        }
        return null;
    }
}

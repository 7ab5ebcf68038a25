package io.gamewire.bench;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The four attribute strings of {@link MatchEndEvent} ({@code region}, {@code eu-west}, {@code shard},
 * {@code 7}) turned into Strings three ways, to size the change suggested for EnvelopeCodec's UTF-8
 * fields in {@code bench/README.md}:
 *
 * <ul>
 *   <li>{@code newDecoderPerField}: a new reporting CharsetDecoder per field, as EnvelopeCodec decodes
 *       attribute names and values, API keys and error texts today;
 *   <li>{@code asciiFastPath}: scan for a byte with the high bit set; if there is none the bytes are
 *       ASCII, hence valid UTF-8, and {@code new String(bytes, off, len, ISO_8859_1)} makes the String
 *       with one copy; otherwise fall back to a reporting decoder;
 *   <li>{@code reusedDecoder}: one reporting decoder reused for every field (the fallback path).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Utf8FieldDecodeBenchmark {

    private final byte[] bytes = "regioneu-westshard7".getBytes(StandardCharsets.UTF_8);
    private final int[] offsets = {0, 6, 13, 18};
    private final int[] lengths = {6, 7, 5, 1};
    private final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    private final CharsetDecoder reused = reportingDecoder();

    @Benchmark
    public void newDecoderPerField(Blackhole blackhole) throws CharacterCodingException {
        for (int i = 0; i < offsets.length; i++) {
            blackhole.consume(reportingDecoder().decode(buffer.slice(offsets[i], lengths[i])).toString());
        }
    }

    @Benchmark
    public void asciiFastPath(Blackhole blackhole) throws CharacterCodingException {
        for (int i = 0; i < offsets.length; i++) {
            blackhole.consume(asciiOrDecode(offsets[i], lengths[i]));
        }
    }

    @Benchmark
    public void reusedDecoder(Blackhole blackhole) throws CharacterCodingException {
        for (int i = 0; i < offsets.length; i++) {
            blackhole.consume(decodeReusing(offsets[i], lengths[i]));
        }
    }

    private String asciiOrDecode(int offset, int length) throws CharacterCodingException {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return decodeReusing(offset, length);
            }
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private String decodeReusing(int offset, int length) throws CharacterCodingException {
        reused.reset();
        CharBuffer chars = reused.decode(buffer.slice(offset, length));
        return chars.toString();
    }

    private static CharsetDecoder reportingDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}

package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Checks the codec against the test vectors in {@code PROTOCOL.md}, so the spec and the code cannot
 * drift: valid vectors decode to the frame described and re-encode to the same bytes; invalid ones
 * are refused with the error code given.
 */
class ProtocolSpecVectorsTest {

    private static final Path SPEC = Path.of("PROTOCOL.md");
    private static final Pattern VECTOR = Pattern.compile(
            "#### vector `([a-z0-9-]+)`[^\\n]*\\n\\n(decoded: `(.*)`|error: (\\d+) [A-Z_]+[^\\n]*)\\n\\n```hex\\n([0-9a-f \\n]+)```");

    record Vector(String name, String decoded, Integer errorCode, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Vector> vectors() throws IOException {
        String spec = Files.readString(SPEC, StandardCharsets.UTF_8);
        Matcher matcher = VECTOR.matcher(spec);
        List<Vector> vectors = new ArrayList<>();
        while (matcher.find()) {
            byte[] bytes = HexFormat.of().parseHex(matcher.group(5).replaceAll("\\s", ""));
            Integer error = matcher.group(4) == null ? null : Integer.valueOf(matcher.group(4));
            vectors.add(new Vector(matcher.group(1), matcher.group(3), error, bytes));
        }
        return vectors;
    }

    static Stream<Vector> valid() throws IOException {
        return vectors().stream().filter(v -> v.errorCode() == null);
    }

    static Stream<Vector> invalid() throws IOException {
        return vectors().stream().filter(v -> v.errorCode() != null);
    }

    private final EnvelopeCodec codec = new EnvelopeCodec();

    @Test
    void theSpecHasAVectorForEveryFrameTypeAndEveryFramingError() throws IOException {
        assertThat(valid().map(v -> v.decoded().split(" ")[0]).distinct())
                .containsExactlyInAnyOrder("AUTH", "EVENT", "REQUEST", "REPLY", "ACK", "ERROR", "PING", "PONG");
        assertThat(invalid().map(Vector::errorCode).distinct()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validVectorsDecodeAsDescribedAndReEncodeToTheSameBytes(Vector vector) throws Exception {
        Frame frame = codec.decode(ByteBuffer.wrap(vector.bytes()));

        assertThat(frame).hasToString(vector.decoded());
        assertThat(codec.encode(frame)).containsExactly(vector.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidVectorsAreRefusedWithTheirCode(Vector vector) {
        assertThatThrownBy(() -> codec.decode(ByteBuffer.wrap(vector.bytes())))
                .isInstanceOfSatisfying(MalformedFrameException.class,
                        e -> assertThat(e.code().code()).isEqualTo(vector.errorCode()));
    }
}

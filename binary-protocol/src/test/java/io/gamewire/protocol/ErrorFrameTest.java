package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorFrameTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();

    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aTextWithinTheLimitIsKeptAsItIs() {
        String exactlyTheLimit = "ä".repeat(GwpLimits.MAX_ERROR_TEXT_BYTES / 2);

        assertThat(ErrorFrame.truncating(ErrorCode.MALFORMED_FRAME, ErrorFrame.CONNECTION, exactlyTheLimit).text())
                .isEqualTo(exactlyTheLimit);
    }

    @Test
    void aLongTextIsCutAtACharacterBoundaryAndMarked() throws Exception {
        String tooLong = "x" + "☃".repeat(GwpLimits.MAX_ERROR_TEXT_BYTES); // 1 + 3 bytes each

        ErrorFrame error = ErrorFrame.truncating(ErrorCode.MALFORMED_FRAME, ErrorFrame.CONNECTION, tooLong);

        assertThat(utf8Bytes(error.text())).isLessThanOrEqualTo(GwpLimits.MAX_ERROR_TEXT_BYTES);
        assertThat(error.text()).endsWith("…");
        assertThat(tooLong).startsWith(error.text().substring(0, error.text().length() - 1));
        assertThat(utf8Bytes(error.text())).as("no more cut than needed").isGreaterThan(GwpLimits.MAX_ERROR_TEXT_BYTES - 3);
        assertThat(codec.decode(java.nio.ByteBuffer.wrap(codec.encode(error)))).isEqualTo(error);
    }

    @Test
    void surrogatePairsSurviveAndLoneSurrogatesBecomeQuestionMarks() throws Exception {
        String text = "pair \uD83C\uDFAE lone \uD800 end";

        ErrorFrame error = ErrorFrame.truncating(ErrorCode.MALFORMED_FRAME, ErrorFrame.CONNECTION, text);

        assertThat(error.text()).isEqualTo("pair \uD83C\uDFAE lone ? end");
        assertThat(codec.decode(java.nio.ByteBuffer.wrap(codec.encode(error)))).isEqualTo(error);
    }

    @Test
    void aLongTextOfFourByteCharactersIsNotCutInsideAPair() {
        String games = "\uD83C\uDFAE".repeat(GwpLimits.MAX_ERROR_TEXT_BYTES);

        String text = ErrorFrame.truncating(ErrorCode.MALFORMED_FRAME, ErrorFrame.CONNECTION, games).text();

        assertThat(text).isEqualTo("\uD83C\uDFAE".repeat((GwpLimits.MAX_ERROR_TEXT_BYTES - 3) / 4) + "…");
    }
}

package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the NDJSON batch reader ({@code POST /v1/events}, {@link HttpEventBodies#batch}) with
 * arbitrary bytes. For every input it either refuses the whole batch with a status and a message
 * ({@link RequestRefusedException}: empty, over the size or event limit) or reads every line into
 * an item that is exactly one of an event (an EVENT whose payload is one JSON value) or the named
 * refusal of that line alone; nothing else is ever thrown, so one bad line costs that line only.
 *
 * <p>Plain {@code mvn test} runs the empty input and the committed seeds in
 * {@code src/test/resources/io/gamewire/ingest/http/NdjsonBatchFuzzTestInputs/readArbitraryBytes/};
 * fuzzing for real takes {@code JAZZER_FUZZ=1} (binary-protocol/FUZZING.md).
 */
class NdjsonBatchFuzzTest {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_EVENTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads exactly one value: trailing tokens fail, as the reader's own check does. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final HttpEventBodies BODIES = new HttpEventBodies(JSON, new EnvelopeCodec(), MAX_BODY_BYTES,
            MAX_EVENTS);

    @FuzzTest(maxDuration = "3m")
    void readArbitraryBytes(byte[] input) throws Exception {
        List<HttpEventBodies.Item> items;
        try {
            items = BODIES.batch("application/x-ndjson", input);
        } catch (RequestRefusedException refused) {
            assertThat(refused.status()).as("a whole batch is refused as the client's fault").isBetween(400, 499);
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(items).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_EVENTS);
        List<byte[]> lines = lines(input);
        assertThat(items).as("one item per line that is not blank").hasSameSizeAs(lines);
        for (int index = 0; index < items.size(); index++) {
            HttpEventBodies.Item item = items.get(index);
            assertThat(item.event() == null).as("an item is an event or a refusal, not both or neither")
                    .isNotEqualTo(item.refusal() == null);
            if (item.refusal() != null) {
                assertThat(item.refusal().getMessage()).as("the refusal of a line says why").isNotBlank()
                        .as("a line is read by the UTF-8 parser, which gives the payload's bytes")
                        .doesNotContain("payload's bytes cannot be found");
                continue;
            }
            Envelope event = item.event();
            assertThat(event.type()).isEqualTo(FrameType.EVENT);
            assertThat(event.messageId()).isNotNull();
            byte[] payload = new byte[event.payload().remaining()];
            event.payload().duplicate().get(payload);
            assertThat(STRICT.readTree(payload)).as("the payload is the line's JSON value, cut at its bytes")
                    .isEqualTo(STRICT.readTree(lines.get(index)).get("payload"));
        }
    }

    /** The lines that are not blank, in order, as the reader numbers its items. */
    private static List<byte[]> lines(byte[] input) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        while (start <= input.length) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            int from = start;
            int to = end;
            while (from < to && HttpEventBodies.asciiWhitespace(input[from])) {
                from++;
            }
            while (to > from && HttpEventBodies.asciiWhitespace(input[to - 1])) {
                to--;
            }
            if (from < to) {
                lines.add(Arrays.copyOfRange(input, from, to));
            }
            start = end + 1;
        }
        return lines;
    }
}

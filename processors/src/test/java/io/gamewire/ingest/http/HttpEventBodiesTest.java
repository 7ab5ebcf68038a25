package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.PingFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HttpEventBodiesTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final HttpEventBodies bodies = new HttpEventBodies(new ObjectMapper(), codec, 4096, 3);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] frame(UUID id, String key, String payload) throws Exception {
        return codec.encode(new Envelope(FrameType.EVENT, id, null, 1_718_000_000_123L, "application/json", key,
                Map.of("region", "eu"), ByteBuffer.wrap(utf8(payload))));
    }

    @Test
    void aJsonBodyBecomesAnEventWithANewId() {
        Envelope event = bodies.single("halo.prod.stats.end", "application/json; charset=utf-8", null, utf8("{\"k\":1}"));

        assertThat(event.type()).isEqualTo(FrameType.EVENT);
        assertThat(event.routingKey()).isEqualTo("halo.prod.stats.end");
        assertThat(event.contentType()).isEqualTo("application/json");
        assertThat(new String(event.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":1}");
        assertThat(MessageIds.epochMillis(event.messageId())).isEqualTo(event.timestamp());
    }

    @Test
    void aGwpBodyKeepsTheClientsIdTimeAndAttributes() throws Exception {
        UUID id = MessageIds.next();

        Envelope event = bodies.single("halo.prod.stats.end", "application/x-gwp", null, frame(id, "halo.prod.stats.end", "{}"));

        assertThat(event.messageId()).isEqualTo(id);
        assertThat(event.timestamp()).isEqualTo(1_718_000_000_123L);
        assertThat(event.attributes()).containsEntry("region", "eu");
    }

    @Test
    void singleBodiesAreRefusedWithTheirProblem() throws Exception {
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "text/csv", null, utf8("a,b")))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(415))
                .hasMessageContaining("content type 'text/csv' is not accepted");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/json", null, new byte[5000]))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("the limit is 4096 (gamewire.http.max-body-bytes)");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/json", null, new byte[0]))
                .hasMessageContaining("request body is empty");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/x-gwp", null,
                frame(MessageIds.next(), "halo.prod.stats.other", "{}")))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_ROUTING_KEY))
                .hasMessageContaining("differs from the path's");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/x-gwp", null,
                codec.encode(new PingFrame(7))))
                .hasMessageContaining("expected an EVENT frame, got PING");
    }

    @Test
    void aJsonEventTakesTheMessageIdOfItsHeaderSoThatAResendIsStoredOnce() {
        UUID id = MessageIds.next();

        Envelope event = bodies.single("halo.prod.stats.end", "application/json", id.toString(), utf8("{\"k\":1}"));

        assertThat(event.messageId()).isEqualTo(id);
        UUID other = MessageIds.next();
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/x-gwp", other.toString(),
                frame(id, "halo.prod.stats.end", "{}")))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_EVENT))
                .hasMessage("header Gw-Message-Id '" + other + "' differs from the frame's message id " + id
                        + "; send one or the other");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/json", "42", utf8("{}")))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_EVENT))
                .hasMessage("header Gw-Message-Id: message id '42' is not a 36-character UUID such as "
                        + "0190b6c2-7f3e-7abc-8def-0123456789ab");
    }

    @Test
    void aBadNdjsonLineRefusesThatEventAlone() {
        UUID given = MessageIds.at(5);
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", utf8("""
                {"routingKey": "halo.prod.stats.end", "payload": {"a": 1}}

                {"routingKey": "halo.prod.stats.end", "payload": {"a": tru}}
                {"routingKey": "halo.prod.stats.end", "payload": [], "messageId": "%s", "timestamp": 5}
                """.formatted(given)));

        assertThat(items).hasSize(3);
        assertThat(items.get(0).event().payloadBytes()).isEqualTo(utf8("{\"a\": 1}"));
        assertThat(items.get(1).refusal()).hasMessageStartingWith("line 3: invalid JSON");
        assertThat(items.get(2).event().messageId()).isEqualTo(given);
        assertThat(items.get(2).event().timestamp()).isEqualTo(5);
    }

    @Test
    void ndjsonLinesWithABadMessageIdOrTimestampAreRefusedNamingTheField() {
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", utf8("""
                {"routingKey": "halo.prod.stats.end", "payload": {}, "messageId": "0000-000"}
                {"routingKey": "halo.prod.stats.end", "payload": {}, "messageId": "00000000-0000-0000-0000-000000000000"}
                {"routingKey": "halo.prod.stats.end", "payload": {}, "timestamp": "soon"}
                """));

        assertThat(items).extracting(item -> item.refusal().getMessage()).containsExactly(
                "line 1: field 'messageId': message id '0000-000' is not a 36-character UUID such as"
                        + " 0190b6c2-7f3e-7abc-8def-0123456789ab",
                "line 2: field 'messageId': message id '00000000-0000-0000-0000-000000000000' is all zero, which GWP's"
                        + " ERROR frames use for the connection; give every message an id of its own",
                "line 3: field 'timestamp' must be Unix milliseconds");
    }

    @Test
    void aSingleGwpBodyMustBeOneWholeEventFrame() throws Exception {
        byte[] frame = frame(MessageIds.next(), "halo.prod.stats.end", "{}");
        byte[] withMore = java.util.Arrays.copyOf(frame, frame.length + 2);

        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/x-gwp", null, withMore))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_EVENT))
                .hasMessage("2 byte(s) after the frame; to send several, POST them to /v1/events");
        assertThatThrownBy(() -> bodies.single("halo.prod.stats.end", "application/x-gwp", null,
                java.util.Arrays.copyOf(frame, frame.length - 1)))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_EVENT))
                .hasMessageStartingWith("not a GWP frame: frame is truncated")
                .hasMessageEndingWith("(MALFORMED_FRAME)");
    }

    @Test
    void ndjsonLinesNeedAKeyAndAPayload() {
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson; charset=utf-8", utf8("""
                {"payload": {}}
                {"routingKey": "halo.prod.stats.end"}
                [1]
                """));

        assertThat(items).extracting(item -> item.refusal().getMessage()).containsExactly(
                "line 1: field 'routingKey' is missing or not a string",
                "line 2: field 'payload' is missing",
                "line 3: a batch line must be a JSON object with routingKey and payload");
    }

    @Test
    void aLinesPayloadIsItsOwnBytesOfThatValueWhateverItsKind() {
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", utf8(
                "{\"payload\" :  {\"k\": [1, {\"x\": \"}\"}]} , \"routingKey\": \"halo.prod.stats.end\"}\r\n"
                        + " \t \r\n"
                        + "{\"routingKey\": \"halo.prod.stats.end\", \"payload\": \"a \\\"quoted\\\" ü\"}\n"
                        + "{\"routingKey\": \"halo.prod.stats.end\", \"payload\": -12.5e3}"));

        assertThat(items).extracting(item -> new String(item.event().payloadBytes(), StandardCharsets.UTF_8))
                .containsExactly("{\"k\": [1, {\"x\": \"}\"}]}", "\"a \\\"quoted\\\" ü\"", "-12.5e3");
        List<HttpEventBodies.Item> more = bodies.batch("application/x-ndjson", utf8("""
                {"routingKey": "halo.prod.stats.end", "payload": true, "unknown": {"payload": 1}}
                {"routingKey": "halo.prod.stats.end", "payload": null, "timestamp": 7.9}
                {"routingKey": 5, "payload": 1, "routingKey": "halo.prod.stats.end", "payload": [ ]}
                """));
        assertThat(more).extracting(item -> new String(item.event().payloadBytes(), StandardCharsets.UTF_8))
                .as("a field given twice counts as its last, as in a JSON tree")
                .containsExactly("true", "null", "[ ]");
        assertThat(more.get(1).event().timestamp()).isEqualTo(7);
    }

    @Test
    void aLineThatIsNotUtf8OrNotOneJsonObjectIsRefusedNamingWhere() {
        byte[] latin1 = "{\"routingKey\": \"halo.prod.stats.end\", \"payload\": \"caf\u00e9\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] surrogate = utf8("{\"routingKey\": \"halo.prod.stats.end\", \"payload\": \"xyz\"}\n");
        surrogate[50] = (byte) 0xED;
        surrogate[51] = (byte) 0xA0;
        surrogate[52] = (byte) 0x80;
        byte[] body = new byte[latin1.length + surrogate.length];
        System.arraycopy(latin1, 0, body, 0, latin1.length);
        System.arraycopy(surrogate, 0, body, latin1.length, surrogate.length);

        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", body);

        assertThat(items).extracting(item -> item.refusal().getMessage()).containsExactly(
                "line 1: not UTF-8: byte 54 of the line is 0xE9; send UTF-8 (RFC 8259)",
                "line 2: not UTF-8: byte 51 of the line is 0xED; send UTF-8 (RFC 8259)");
        List<HttpEventBodies.Item> notOne = bodies.batch("application/x-ndjson", utf8("""
                {"routingKey": "halo.prod.stats.end", "payload": 1} {"routingKey": "halo.prod.stats.end", "payload": 2}
                "halo.prod.stats.end"
                {"routingKey": "halo.prod.stats.end", "timestamp": 99999999999999999999, "payload": 1}
                """));
        assertThat(notOne).extracting(item -> item.refusal().getMessage()).containsExactly(
                "line 1: invalid JSON: unexpected START_OBJECT after the value at line 1, column 54",
                "line 2: a batch line must be a JSON object with routingKey and payload",
                "line 3: field 'timestamp' must be Unix milliseconds");
    }

    @Test
    void aLineInUtf16IsRefusedAloneForItsNulBytesWhereverItStands() {
        String line = "{\"routingKey\":\"halo.prod.stats.end\",\"payload\":1}";
        byte[] utf16 = line.getBytes(StandardCharsets.UTF_16LE);
        byte[] good = utf8("\n" + line + "\n");
        byte[] body = new byte[utf16.length * 2 + good.length];
        System.arraycopy(utf16, 0, body, 0, utf16.length);
        System.arraycopy(good, 0, body, utf16.length, good.length);
        System.arraycopy(utf16, 0, body, utf16.length + good.length, utf16.length);

        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", body);

        assertThat(items).hasSize(3);
        assertThat(items.get(0).refusal()).hasMessage("line 1: byte 2 of the line is NUL (0x00), which JSON text never"
                + " holds; send UTF-8 (RFC 8259)");
        assertThat(items.get(1).event().payloadBytes()).isEqualTo(utf8("1"));
        assertThat(items.get(2).refusal()).hasMessageStartingWith("line 3: byte 2 of the line is NUL");
    }

    @Test
    void aLineStartingWithAUtf8ByteOrderMarkKeepsItsPayloadBytes() {
        byte[] line = utf8("\uFEFF{\"routingKey\": \"halo.prod.stats.end\", \"payload\": {\"é\": 1}}");

        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", line);

        assertThat(items.get(0).event().payloadBytes()).isEqualTo(utf8("{\"é\": 1}"));
    }

    @Test
    void asciiWhitespaceAroundALineIsTrimmedAndALineOfNothingElseIsBlank() {
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", utf8(
                "\f\u000B {\"routingKey\": \"halo.prod.stats.end\", \"note\": \"ü€😀\", \"payload\": {\"x\": \"é\"}}\u001F\r\n"
                        + "\u000B\f\u001C\n"
                        + "\f\t {\"routingKey\": \"halo.prod.stats.end\", \"payload\": {\"x\": 1} x}\n"));

        assertThat(items).hasSize(2);
        assertThat(new String(items.get(0).event().payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"x\": \"é\"}");
        assertThat(items.get(1).refusal()).as("columns count from the trimmed line").hasMessage(
                "line 3: invalid JSON: Unexpected character ('x' (code 120)): was expecting comma to separate Object"
                        + " entries at line 1, column 59");
        assertThatThrownBy(() -> bodies.batch("application/x-ndjson", utf8("\f\n \u000B\r\n")))
                .hasMessage("the batch holds no event");
    }

    @Test
    void aLinesMessageIdAndTimestampOfOtherKindsAreRefusedAsBefore() {
        List<HttpEventBodies.Item> items = bodies.batch("application/x-ndjson", utf8("""
                {"routingKey": "halo.prod.stats.end", "payload": 1, "timestamp": null}
                {"routingKey": "halo.prod.stats.end", "payload": 1, "timestamp": 1e300}
                {"routingKey": "halo.prod.stats.end", "payload": 1, "messageId": {"id": 1}}
                """));

        assertThat(items).extracting(item -> item.refusal().getMessage()).containsExactly(
                "line 1: field 'timestamp' must be Unix milliseconds",
                "line 2: field 'timestamp' must be Unix milliseconds",
                "line 3: field 'messageId': message id '' is not a 36-character UUID such as"
                        + " 0190b6c2-7f3e-7abc-8def-0123456789ab");
    }

    @Test
    void gwpFramesFollowEachOther() throws Exception {
        UUID first = MessageIds.next();
        UUID second = MessageIds.next();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(frame(first, "halo.prod.stats.end", "{}"));
        stream.write(codec.encode(new PingFrame(1)));
        stream.write(frame(second, "halo.prod.stats.end", "[]"));

        List<HttpEventBodies.Item> items = bodies.batch("application/x-gwp", stream.toByteArray());

        assertThat(items).hasSize(3);
        assertThat(items.get(0).event().messageId()).isEqualTo(first);
        assertThat(items.get(1).refusal()).hasMessageContaining("expected an EVENT frame, got PING");
        assertThat(items.get(2).event().messageId()).isEqualTo(second);
    }

    @Test
    void aStreamThatCannotBeDelimitedIsRefusedWhole() throws Exception {
        byte[] frame = frame(MessageIds.next(), "halo.prod.stats.end", "{}");
        byte[] cut = Arrays.copyOf(frame, frame.length - 1);

        assertThatThrownBy(() -> bodies.batch("application/x-gwp", cut))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("frame 1 at byte 0 is cut short");
        assertThatThrownBy(() -> bodies.batch("application/x-gwp", utf8("GET / HTTP/1.1")))
                .hasMessageContaining("not the GWP magic");
    }

    @Test
    void batchesAreBounded() {
        String line = "{\"routingKey\": \"halo.prod.stats.end\", \"payload\": 1}\n";
        assertThatThrownBy(() -> bodies.batch("application/x-ndjson", utf8(line.repeat(4))))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("more than 3 events (gamewire.http.max-batch-events)");
        assertThatThrownBy(() -> bodies.batch("application/json", utf8(line)))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> bodies.batch("application/x-ndjson", utf8("\n\n")))
                .hasMessage("the batch holds no event");
    }
}

package io.gamewire.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.EventAdmission;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.ContentTypes;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads events out of HTTP request bodies:
 * <ul>
 *   <li>one event: a JSON body (the payload; gamewire makes the message id) or an
 *       {@code application/x-gwp} body holding one EVENT frame (the client's id, time and
 *       attributes are kept, so a resend is recognised as the same event);</li>
 *   <li>a batch: {@code application/x-ndjson} lines {@code {"routingKey": "...", "payload": {...}}}
 *       (optionally {@code "messageId"} and {@code "timestamp"}), or {@code application/x-gwp}
 *       EVENT frames one after another.</li>
 * </ul>
 * A bad line or frame of a batch refuses that event alone; the others go on.
 */
public final class HttpEventBodies {

    static final String GWP = "application/x-gwp";
    private static final List<String> NDJSON = List.of("application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonlines");

    private final JsonPayloads payloads;
    private final EnvelopeCodec codec;
    private final int maxBodyBytes;
    private final int maxBatchEvents;

    /**
     * @param codec with the client limits (those of TCP frames)
     */
    public HttpEventBodies(ObjectMapper json, EnvelopeCodec codec, int maxBodyBytes, int maxBatchEvents) {
        this.payloads = new JsonPayloads(json);
        this.codec = codec;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchEvents = maxBatchEvents;
    }

    /** One event of a batch, or why it could not be read. */
    record Item(Envelope event, RefusedException refusal) {
    }

    /** The request header that names a JSON event's message id, so that a resend is stored once. */
    public static final String MESSAGE_ID_HEADER = "Gw-Message-Id";

    /**
     * The event of {@code POST /v1/events/{routingKey}}: a GWP frame keeps its own message id; a
     * JSON body takes {@code givenMessageId} (the {@link #MESSAGE_ID_HEADER} header), or a new one.
     */
    Envelope single(String routingKey, String contentType, String givenMessageId, byte[] body) {
        checkSize(body);
        String mediaType = mediaType(contentType);
        if (mediaType.equals(GWP)) {
            Envelope event = decodeEvent(ByteBuffer.wrap(body), true);
            if (!event.routingKey().equals(routingKey)) {
                throw new RefusedException(Refusal.INVALID_ROUTING_KEY, "the frame's routing key '" + event.routingKey()
                        + "' differs from the path's '" + routingKey + "'");
            }
            if (givenMessageId != null && !givenMessageId.trim().equals(event.messageId().toString())) {
                throw new RefusedException(Refusal.INVALID_EVENT, "header " + MESSAGE_ID_HEADER + " '" + givenMessageId
                        + "' differs from the frame's message id " + event.messageId() + "; send one or the other");
            }
            return event;
        }
        if (!mediaType.isEmpty() && !ContentTypes.isJson(mediaType)) {
            throw new RequestRefusedException(415, "content type '" + contentType + "' is not accepted; send the event"
                    + " as application/json or one GWP EVENT frame as " + GWP);
        }
        EventAdmission.routingKey(routingKey);
        long now = System.currentTimeMillis();
        UUID id = MessageIds.at(now);
        if (givenMessageId != null) {
            try {
                id = MessageIds.parse(givenMessageId.trim());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(Refusal.INVALID_EVENT, "header " + MESSAGE_ID_HEADER + ": " + e.getMessage());
            }
        }
        return new Envelope(FrameType.EVENT, id, null, now, "application/json", routingKey, Map.of(),
                ByteBuffer.wrap(body));
    }

    /** The events of {@code POST /v1/events}. */
    List<Item> batch(String contentType, byte[] body) {
        checkSize(body);
        String mediaType = mediaType(contentType);
        List<Item> items;
        if (mediaType.equals(GWP)) {
            items = frames(ByteBuffer.wrap(body));
        } else if (NDJSON.contains(mediaType)) {
            items = lines(body);
        } else {
            throw new RequestRefusedException(415, "content type '" + contentType + "' is not a batch; send NDJSON "
                    + "lines as application/x-ndjson or GWP EVENT frames as " + GWP);
        }
        if (items.isEmpty()) {
            throw new RequestRefusedException(400, "the batch holds no event");
        }
        return items;
    }

    private void checkSize(byte[] body) {
        if (body == null || body.length == 0) {
            throw new RequestRefusedException(400, "request body is empty");
        }
        if (body.length > maxBodyBytes) {
            throw new RequestRefusedException(413, "request body is " + body.length + " bytes, the limit is "
                    + maxBodyBytes + " (gamewire.http.max-body-bytes)");
        }
    }

    private List<Item> frames(ByteBuffer body) {
        List<Item> items = new ArrayList<>();
        while (body.hasRemaining()) {
            checkCount(items);
            // a frame that cannot be delimited ends the batch: what follows it cannot be found
            int length;
            try {
                length = codec.checkHeader(body.duplicate());
            } catch (MalformedFrameException e) {
                throw new RequestRefusedException(400, "frame " + (items.size() + 1) + " at byte " + body.position()
                        + ": " + e.getMessage() + " (" + e.code() + "); no event of this batch was published");
            }
            int frameBytes = EnvelopeCodec.HEADER_BYTES + length;
            if (length < 0 || body.remaining() < frameBytes) {
                throw new RequestRefusedException(400, "frame " + (items.size() + 1) + " at byte " + body.position()
                        + " is cut short: the body ends before it does; no event of this batch was published");
            }
            ByteBuffer frame = body.slice(body.position(), frameBytes);
            body.position(body.position() + frameBytes);
            try {
                items.add(new Item(decodeEvent(frame, false), null));
            } catch (RefusedException e) {
                items.add(new Item(null, e));
            }
        }
        return items;
    }

    private List<Item> lines(byte[] body) {
        List<Item> items = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            lineNumber++;
            int lineStart = start;
            int lineEnd = end;
            start = end + 1;
            while (lineStart < lineEnd && asciiWhitespace(body[lineStart])) {
                lineStart++;
            }
            while (lineEnd > lineStart && asciiWhitespace(body[lineEnd - 1])) {
                lineEnd--;
            }
            if (lineStart == lineEnd) {
                continue;
            }
            checkCount(items);
            try {
                items.add(new Item(line(body, lineStart, lineEnd), null));
            } catch (RefusedException e) {
                items.add(new Item(null, new RefusedException(e.refusal(), "line " + lineNumber + ": " + e.getMessage(),
                        e.retryAfterSeconds(), e)));
            }
        }
        return items;
    }

    /**
     * What {@link Character#isWhitespace} calls whitespace among ASCII characters (tab to carriage
     * return, the four separators, space): trimmed from both ends of a line, a line of nothing else
     * is blank. Whitespace beyond ASCII is not trimmed; a line's JSON cannot hold it outside strings.
     */
    static boolean asciiWhitespace(byte b) {
        return (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20);
    }

    /**
     * One line, read as a stream of tokens: no tree is built, and the payload is the line's own
     * bytes of that value (as a single JSON event's body is), not the value written out again.
     */
    private Envelope line(byte[] body, int start, int end) {
        checkUtf8(body, start, end);
        LineFields fields = payloads.read(body, start, end - start, parser -> LineFields.read(parser, start));
        if (fields.routingKey == null) {
            throw new RefusedException(Refusal.INVALID_ROUTING_KEY, "field 'routingKey' is missing or not a string");
        }
        if (fields.payloadStart < 0) {
            throw new RefusedException(Refusal.INVALID_EVENT, "field 'payload' is missing");
        }
        long now = System.currentTimeMillis();
        UUID id = MessageIds.at(now);
        if (fields.messageId != null) {
            try {
                id = MessageIds.parse(fields.messageId);
            } catch (IllegalArgumentException e) {
                throw new RefusedException(Refusal.INVALID_EVENT, "field 'messageId': " + e.getMessage());
            }
        }
        if (fields.timestampGiven && fields.timestamp == null) {
            throw new RefusedException(Refusal.INVALID_EVENT, "field 'timestamp' must be Unix milliseconds");
        }
        long timestamp = fields.timestamp == null ? now : fields.timestamp;
        byte[] payload = Arrays.copyOfRange(body, fields.payloadStart, fields.payloadEnd);
        return new Envelope(FrameType.EVENT, id, null, timestamp, "application/json", fields.routingKey, Map.of(),
                ByteBuffer.wrap(payload));
    }

    /**
     * Jackson takes some byte sequences that are not UTF-8 (an encoded surrogate), and the payload
     * is published as it came: a line must be UTF-8 (RFC 8259), checked where it is not plain ASCII.
     * A NUL byte, never part of JSON text, is refused first: beside a bracket it would make Jackson
     * read the line as UTF-16 or UTF-32, whose parser gives no byte offsets to find the payload by.
     */
    private static void checkUtf8(byte[] body, int start, int end) {
        int i = start;
        while (i < end && body[i] > 0) {
            i++;
        }
        for (int j = i; j < end; j++) {
            if (body[j] == 0) {
                throw new RefusedException(Refusal.INVALID_EVENT, "byte " + (j - start + 1) + " of the line is NUL (0x00),"
                        + " which JSON text never holds; send UTF-8 (RFC 8259)");
            }
        }
        if (i == end) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(body, i, end - i);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, CharBuffer.allocate(end - i), true);
        if (result.isError()) {
            throw new RefusedException(Refusal.INVALID_EVENT, String.format("not UTF-8: byte %d of the line is 0x%02X;"
                    + " send UTF-8 (RFC 8259)", in.position() - start + 1, body[in.position()] & 0xff));
        }
    }

    /** The fields of one NDJSON line; a field given twice counts as its last, as a JSON tree would have it. */
    private static final class LineFields {
        String routingKey;
        int payloadStart = -1;
        int payloadEnd;
        String messageId;
        boolean timestampGiven;
        Long timestamp;

        static LineFields read(JsonParser parser, int lineStart) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                throw new RefusedException(Refusal.INVALID_EVENT,
                        "a batch line must be a JSON object with routingKey and payload");
            }
            LineFields fields = new LineFields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "routingKey" -> fields.routingKey = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "payload" -> {
                        long from = parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        // a string's or number's end is only known once it is read whole
                        parser.finishToken();
                        long to = parser.currentLocation().getByteOffset();
                        if (from < 0 || to < from) {
                            // only a reader-based parser gives none: one of another encoding than UTF-8 (which
                            // checkUtf8 prevents) or of a factory without CANONICALIZE_FIELD_NAMES (gamewire's has it)
                            throw new RefusedException(Refusal.INVALID_EVENT, "the payload's bytes cannot be found;"
                                    + " send the line as UTF-8 (RFC 8259)");
                        }
                        fields.payloadStart = lineStart + (int) from;
                        fields.payloadEnd = lineStart + (int) to;
                    }
                    case "messageId" -> fields.messageId = value.isScalarValue() ? parser.getText() : "";
                    case "timestamp" -> {
                        fields.timestampGiven = true;
                        fields.timestamp = milliseconds(parser, value);
                    }
                    default -> {
                    }
                }
                parser.skipChildren();
            }
            return fields;
        }

        /** A JSON number that fits a long (a fraction cut off), else null. */
        private static Long milliseconds(JsonParser parser, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NUMBER_INT) {
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : parser.getLongValue();
            }
            if (value == JsonToken.VALUE_NUMBER_FLOAT) {
                double number = parser.getDoubleValue();
                return number >= Long.MIN_VALUE && number <= Long.MAX_VALUE ? (long) number : null;
            }
            return null;
        }
    }

    private Envelope decodeEvent(ByteBuffer frame, boolean whole) {
        Frame decoded;
        try {
            decoded = codec.decode(frame);
        } catch (MalformedFrameException e) {
            throw new RefusedException(Refusal.INVALID_EVENT, "not a GWP frame: " + e.getMessage() + " (" + e.code() + ")");
        }
        if (!(decoded instanceof Envelope event) || event.type() != FrameType.EVENT) {
            throw new RefusedException(Refusal.INVALID_EVENT, "expected an EVENT frame, got " + decoded.type());
        }
        if (whole && frame.hasRemaining()) {
            throw new RefusedException(Refusal.INVALID_EVENT, frame.remaining() + " byte(s) after the frame; to send "
                    + "several, POST them to /v1/events");
        }
        return event;
    }

    private void checkCount(List<Item> items) {
        if (items.size() >= maxBatchEvents) {
            throw new RequestRefusedException(413, "the batch holds more than " + maxBatchEvents
                    + " events (gamewire.http.max-batch-events); no event of it was published");
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}

package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    private final ObjectMapper json;
    private final EnvelopeCodec codec;
    private final int maxBodyBytes;
    private final int maxBatchEvents;

    /**
     * @param codec with the client limits (those of TCP frames)
     */
    public HttpEventBodies(ObjectMapper json, EnvelopeCodec codec, int maxBodyBytes, int maxBatchEvents) {
        this.json = json;
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
            String line = new String(body, start, end - start, StandardCharsets.UTF_8).strip();
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            checkCount(items);
            try {
                items.add(new Item(line(line), null));
            } catch (RefusedException e) {
                items.add(new Item(null, new RefusedException(e.refusal(), "line " + lineNumber + ": " + e.getMessage(),
                        e.retryAfterSeconds(), e)));
            }
        }
        return items;
    }

    private Envelope line(String line) {
        JsonNode node = new JsonPayloads(json).parse(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        if (!node.isObject()) {
            throw new RefusedException(Refusal.INVALID_EVENT, "a batch line must be a JSON object with routingKey and payload");
        }
        JsonNode key = node.get("routingKey");
        if (key == null || !key.isTextual()) {
            throw new RefusedException(Refusal.INVALID_ROUTING_KEY, "field 'routingKey' is missing or not a string");
        }
        JsonNode payload = node.get("payload");
        if (payload == null) {
            throw new RefusedException(Refusal.INVALID_EVENT, "field 'payload' is missing");
        }
        long now = System.currentTimeMillis();
        UUID id = MessageIds.at(now);
        JsonNode givenId = node.get("messageId");
        if (givenId != null) {
            try {
                id = MessageIds.parse(givenId.asText());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(Refusal.INVALID_EVENT, "field 'messageId': " + e.getMessage());
            }
        }
        JsonNode givenTime = node.get("timestamp");
        if (givenTime != null && !givenTime.canConvertToLong()) {
            throw new RefusedException(Refusal.INVALID_EVENT, "field 'timestamp' must be Unix milliseconds");
        }
        long timestamp = givenTime == null ? now : givenTime.asLong();
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Envelope(FrameType.EVENT, id, null, timestamp, "application/json", key.asText(), Map.of(),
                ByteBuffer.wrap(bytes));
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

package io.gamewire.monitor.tail;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.PayloadJson;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.titles.PayloadRedaction;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What the tail shows of one message on the bus, as the JSON of an {@code event: message}:
 * {@code exchange} ({@code events} or {@code dead-letters}), {@code routingKey}, {@code messageId},
 * {@code type} ({@code EVENT}, {@code REQUEST}, {@code REPLY}), {@code source} (the
 * {@code gw-source} attribute), {@code receivedAt} (Unix ms of {@code gw-received-at}, or null),
 * {@code attributes} and {@code payload} (as {@link PayloadJson#shown}: JSON when the payload is JSON,
 * else its text, or base64 when it is not text), redacted by {@link PayloadRedaction}.
 *
 * <p>What is never shown, so that keys, tokens and secrets do not reach an operator's screen: the
 * AMQP properties and headers (a dead letter's {@code gw-dlq-*} headers included; the admin API's
 * dead-letter list has them), and every envelope attribute whose name contains {@code key},
 * {@code token}, {@code secret}, {@code password}, {@code passwd}, {@code auth}, {@code credential},
 * {@code cookie}, {@code session} or {@code signature} ({@link PayloadRedaction#isSecretAttribute}). API keys themselves never travel on the bus:
 * the translators check them and keep only their SHA-256 in the exchange, not in the envelope. A
 * message that is not a GWP frame (a poison message on its way to a dead-letter queue) is shown with
 * {@code type} null, its payload as {@code "***"} (nothing says what it holds) and {@code error}
 * saying why it could not be read.
 */
public final class TailEvents {

    private final ObjectMapper json;
    private final EnvelopeCodec codec;
    private final PayloadRedaction redaction;
    /**
     * Frames made lately, by the delivery's body (weak keys compare by identity): the monitor hands
     * every tail the same delivery, so ten tails of {@code #} decode, redact and serialise an event
     * once, not ten times. Only what tails show gets here (each at most its rate), and an entry goes
     * with its delivery. A frame made under titles that a reload has replaced since is made again:
     * a field newly marked {@code redact: true} must not show in a slower tail.
     */
    private final Cache<byte[], Made> recentFrames = Caffeine.newBuilder().weakKeys().maximumSize(4096).build();

    /** A frame and the redaction rules it was made under. */
    private record Made(Object rules, String frame) {
    }

    /** @param codec with the bus limits ({@code BusMessages.busLimits}) */
    public TailEvents(ObjectMapper json, EnvelopeCodec codec, PayloadRedaction redaction) {
        this.json = json;
        this.codec = codec;
        this.redaction = redaction;
    }

    /** The SSE frame of a message seen on the bus. */
    String frame(boolean deadLetter, String routingKey, String amqpMessageId, byte[] body) {
        Object rules = redaction.rulesInForce();
        Made made = recentFrames.getIfPresent(body);
        if (made == null || made.rules() != rules) {
            ObjectNode event = describe(deadLetter, routingKey, amqpMessageId, body);
            made = new Made(rules, SseFrames.event("message", event.path("messageId").asText(null), event.toString()));
            recentFrames.put(body, made);
        }
        return made.frame();
    }

    ObjectNode describe(boolean deadLetter, String routingKey, String amqpMessageId, byte[] body) {
        ObjectNode event = json.createObjectNode()
                .put("exchange", deadLetter ? "dead-letters" : "events")
                .put("routingKey", routingKey);
        Frame frame;
        try {
            frame = codec.decode(ByteBuffer.wrap(body));
        } catch (MalformedFrameException | RuntimeException e) {
            return unreadable(event, amqpMessageId, "not a GWP frame: " + e.getMessage());
        }
        if (!(frame instanceof Envelope envelope)) {
            return unreadable(event, amqpMessageId, "a " + frame.type() + " frame, not an envelope");
        }
        Map<String, String> attributes = envelope.attributes();
        event.put("messageId", envelope.messageId().toString())
                .put("type", envelope.type().name())
                .put("source", attributes.get(ReservedAttributes.SOURCE));
        Long receivedAt = millis(attributes.get(ReservedAttributes.RECEIVED_AT));
        if (receivedAt == null) {
            event.putNull("receivedAt");
        } else {
            event.put("receivedAt", receivedAt);
        }
        ObjectNode shown = event.putObject("attributes");
        attributes.forEach((name, value) -> {
            if (!PayloadRedaction.isSecretAttribute(name)) {
                shown.put(name, value);
            }
        });
        event.set("payload", redaction.redact(envelope.routingKey(),
                PayloadJson.shown(json, envelope.payloadBytes(), envelope.contentType())));
        return event;
    }

    private ObjectNode unreadable(ObjectNode event, String amqpMessageId, String error) {
        event.put("messageId", amqpMessageId).putNull("type").putNull("source").putNull("receivedAt");
        event.set("attributes", json.createObjectNode());
        event.put("payload", PayloadRedaction.MASK);
        event.put("error", error);
        return event;
    }

    private static Long millis(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

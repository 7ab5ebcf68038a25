package io.gamewire.bus;

import com.rabbitmq.client.AMQP;
import io.gamewire.protocol.GwpLimits;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * How envelopes travel on the bus: one GWP envelope frame per AMQP message body, content type
 * {@value #CONTENT_TYPE}; the AMQP properties repeat the message id (and for requests carry
 * reply-to and correlation id) so that broker tools and listeners can see them without decoding.
 */
public final class BusMessages {

    /** The AMQP content type of a message whose body is one GWP frame. */
    public static final String CONTENT_TYPE = "application/x-gwp";

    /** Frame bytes gamewire may add to a client's envelope (its {@code gw-} attributes). */
    public static final int ADDED_BYTES = 1024;

    /**
     * Attributes gamewire may add to a client's envelope: {@code gw-received-at}, {@code gw-source}
     * and, on a replay into another environment, {@code gw-replay-of}.
     */
    public static final int ADDED_ATTRIBUTES = 3;

    /**
     * The AMQP header repeating an event's {@code gw-source} attribute ({@link EventSource}), so that
     * the bus monitor counts by source without decoding the frame.
     */
    public static final String SOURCE_HEADER = io.gamewire.protocol.ReservedAttributes.SOURCE;

    private static final int PERSISTENT = 2;
    private static final int TRANSIENT = 1;

    private BusMessages() {
    }

    /**
     * The limits of envelopes on the bus: the clients' limits plus room for what gamewire adds, so
     * that an envelope a client could send can always be published.
     */
    public static GwpLimits busLimits(GwpLimits clientLimits) {
        return new GwpLimits(Math.min(GwpLimits.MAX_FRAME_BYTES_CEILING, clientLimits.maxFrameBytes() + ADDED_BYTES),
                Math.min(255, clientLimits.maxAttributes() + ADDED_ATTRIBUTES), clientLimits.maxAttributeValueBytes());
    }

    /** An event: persistent, so a queued event survives a broker restart. */
    public static AMQP.BasicProperties event(UUID messageId, long timestamp) {
        return event(messageId, timestamp, (Map<String, Object>) null);
    }

    /** An event whose {@code gw-source} header names where it came from (none when {@code source} is null). */
    public static AMQP.BasicProperties event(UUID messageId, long timestamp, EventSource source) {
        return event(messageId, timestamp, source == null ? null : Map.of(SOURCE_HEADER, source.tag()));
    }

    /** An event with AMQP headers (a dead letter's, which say why), or none when {@code headers} is null. */
    public static AMQP.BasicProperties event(UUID messageId, long timestamp, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(messageId.toString())
                .timestamp(new Date(timestamp))
                .headers(headers)
                .build();
    }

    /** A request: transient (it is worth nothing after its timeout), answered to {@code replyTo}. */
    public static AMQP.BasicProperties request(UUID messageId, long timestamp, String replyTo) {
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(TRANSIENT)
                .messageId(messageId.toString())
                .correlationId(messageId.toString())
                .replyTo(replyTo)
                .timestamp(new Date(timestamp))
                .build();
    }
}

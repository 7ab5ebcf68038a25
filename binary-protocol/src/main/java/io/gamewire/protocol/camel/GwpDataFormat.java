package io.gamewire.protocol.camel;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.MalformedFrameException;
import io.gamewire.protocol.MessageIds;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The {@code gwp} data format: marshals the message body and {@link GwpHeaders} into one GWP
 * envelope frame, and unmarshals a frame back into body (the payload) and headers.
 *
 * <p>Java: {@code .marshal().custom("gwp")}; YAML: {@code marshal: {custom: {ref: gwp}}}. It is found
 * by name through {@code META-INF/services/org/apache/camel/dataformat/gwp}; bind an instance under
 * another name to change its options.
 *
 * <p>Unmarshalling decodes straight from the body's bytes and copies the payload once, into the new
 * body. A body that is not exactly one valid frame fails with {@link MalformedFrameException}.
 */
public class GwpDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private int maxFrameBytes = GwpLimits.DEFAULT_MAX_FRAME_BYTES;
    private int maxAttributes = GwpLimits.DEFAULT_MAX_ATTRIBUTES;
    private int maxAttributeValueBytes = GwpLimits.DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES;
    private String defaultContentType = "application/octet-stream";
    private FrameType defaultFrameType = FrameType.EVENT;
    private volatile EnvelopeCodec codec;

    @Override
    public String getDataFormatName() {
        return "gwp";
    }

    @Override
    protected void doInit() {
        codec = new EnvelopeCodec(new GwpLimits(maxFrameBytes, maxAttributes, maxAttributeValueBytes));
    }

    private EnvelopeCodec codec() {
        EnvelopeCodec current = codec;
        if (current == null) {
            doInit();
            current = codec;
        }
        return current;
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        Message message = exchange.getMessage();
        Envelope envelope = envelopeOf(exchange, message, graph);
        message.setHeader(GwpHeaders.MESSAGE_ID, envelope.messageId().toString());
        stream.write(codec().encode(envelope));
    }

    private Envelope envelopeOf(Exchange exchange, Message message, Object graph) throws MalformedFrameException {
        String routingKey = message.getHeader(GwpHeaders.ROUTING_KEY, String.class);
        if (routingKey == null || routingKey.isEmpty()) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME,
                    "header " + GwpHeaders.ROUTING_KEY + " is missing: the routing key of the envelope");
        }
        FrameType type = frameType(message.getHeader(GwpHeaders.FRAME_TYPE));
        UUID id = uuid(message, GwpHeaders.MESSAGE_ID);
        UUID correlation = uuid(message, GwpHeaders.CORRELATION_ID);
        return new Envelope(type, id != null ? id : MessageIds.next(), correlation, timestamp(message),
                contentType(message), routingKey, attributes(message), ByteBuffer.wrap(payload(exchange, graph)));
    }

    private FrameType frameType(Object header) throws MalformedFrameException {
        if (header == null) {
            return defaultFrameType;
        }
        if (header instanceof FrameType type) {
            return type;
        }
        try {
            FrameType type = FrameType.valueOf(header.toString());
            if (type.isEnvelope()) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "header " + GwpHeaders.FRAME_TYPE + " is '"
                + header + "'; the gwp data format writes EVENT, REQUEST or REPLY");
    }

    private static UUID uuid(Message message, String header) throws MalformedFrameException {
        Object value = message.getHeader(header);
        if (value == null || value instanceof UUID) {
            return (UUID) value;
        }
        try {
            return MessageIds.parse(value.toString());
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "header " + header + ": " + e.getMessage());
        }
    }

    private static long timestamp(Message message) {
        Object value = message.getHeader(GwpHeaders.TIMESTAMP);
        if (value instanceof Date date) {
            return date.getTime();
        }
        Long millis = message.getHeader(GwpHeaders.TIMESTAMP, Long.class);
        return millis != null ? millis : System.currentTimeMillis();
    }

    private String contentType(Message message) {
        String type = message.getHeader(GwpHeaders.CONTENT_TYPE, String.class);
        if (type == null) {
            type = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        }
        return type != null ? type : defaultContentType;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> attributes(Message message) throws MalformedFrameException {
        Object value = message.getHeader(GwpHeaders.ATTRIBUTES);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "header " + GwpHeaders.ATTRIBUTES
                    + " must be a Map of strings, was " + value.getClass().getName());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        map.forEach((k, v) -> attributes.put(String.valueOf(k), String.valueOf(v)));
        return attributes;
    }

    private static byte[] payload(Exchange exchange, Object graph) {
        if (graph == null) {
            return new byte[0];
        }
        if (graph instanceof String text) {
            // never the platform charset on the wire
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, graph);
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return unmarshal(exchange, (Object) stream.readAllBytes());
    }

    @Override
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        ByteBuffer bytes;
        if (body instanceof byte[] array) {
            bytes = ByteBuffer.wrap(array);
        } else if (body instanceof ByteBuffer buffer) {
            bytes = buffer.duplicate();
        } else {
            bytes = ByteBuffer.wrap(exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body));
        }
        Frame frame = decode(bytes);
        Message message = exchange.getMessage();
        message.setHeader(GwpHeaders.FRAME_TYPE, frame.type().name());
        if (!(frame instanceof Envelope envelope)) {
            return frame;
        }
        message.setHeader(GwpHeaders.MESSAGE_ID, envelope.messageId().toString());
        if (envelope.correlationId() != null) {
            message.setHeader(GwpHeaders.CORRELATION_ID, envelope.correlationId().toString());
        } else {
            message.removeHeader(GwpHeaders.CORRELATION_ID);
        }
        message.setHeader(GwpHeaders.TIMESTAMP, envelope.timestamp());
        message.setHeader(GwpHeaders.CONTENT_TYPE, envelope.contentType());
        message.setHeader(GwpHeaders.ROUTING_KEY, envelope.routingKey());
        message.setHeader(GwpHeaders.ATTRIBUTES, envelope.attributes());
        return envelope.payloadBytes();
    }

    /**
     * Decodes exactly one frame from {@code bytes}, with this data format's limits, as unmarshalling
     * does: for a reader of message bodies outside a route ({@code ConsumedEvents}).
     */
    public Frame decode(ByteBuffer bytes) throws MalformedFrameException {
        Frame frame = codec().decode(bytes);
        if (bytes.hasRemaining()) {
            throw new MalformedFrameException(ErrorCode.MALFORMED_FRAME, "message body has " + bytes.remaining()
                    + " byte(s) after its GWP frame; the gwp data format reads exactly one frame");
        }
        return frame;
    }

    // ---- options (Camel binds these by name, e.g. from properties)

    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /** Largest frame body in bytes, default 1 MiB. */
    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public int getMaxAttributes() {
        return maxAttributes;
    }

    /** Attributes per envelope, default 16. */
    public void setMaxAttributes(int maxAttributes) {
        this.maxAttributes = maxAttributes;
    }

    public int getMaxAttributeValueBytes() {
        return maxAttributeValueBytes;
    }

    /** Bytes of one attribute value, default 1024. */
    public void setMaxAttributeValueBytes(int maxAttributeValueBytes) {
        this.maxAttributeValueBytes = maxAttributeValueBytes;
    }

    public String getDefaultContentType() {
        return defaultContentType;
    }

    /** Content type when neither {@link GwpHeaders#CONTENT_TYPE} nor {@code Content-Type} is set. */
    public void setDefaultContentType(String defaultContentType) {
        this.defaultContentType = defaultContentType;
    }

    public FrameType getDefaultFrameType() {
        return defaultFrameType;
    }

    /** Frame type when {@link GwpHeaders#FRAME_TYPE} is not set, default EVENT. */
    public void setDefaultFrameType(FrameType defaultFrameType) {
        this.defaultFrameType = defaultFrameType;
    }
}

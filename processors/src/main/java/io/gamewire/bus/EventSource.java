package io.gamewire.bus;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.ReservedAttributes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where gamewire got an event, stamped on it as the envelope attribute {@code gw-source}
 * ({@link ReservedAttributes#SOURCE}, stored with the event) and repeated as the AMQP header of the
 * same name ({@link BusMessages#SOURCE_HEADER}), so that the bus monitor counts by source without
 * decoding the frame. {@link EnvelopePublisher#publishEvent(Envelope, EventSource)} does both.
 */
public enum EventSource {
    /** {@code POST /v1/events…}. */
    HTTP,
    /** A GWP EVENT frame on the TCP port. */
    TCP,
    /** An item of a scheduled or manual pull. */
    PULL,
    /** A dead letter put back, or a stored event replayed into another environment. */
    REPLAY,
    /** Sent by an operator through the admin API or a console. */
    CONSOLE;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The value of the attribute and header: {@code http}, {@code tcp}, {@code pull}, {@code replay}, {@code console}. */
    public String tag() {
        return tag;
    }

    /** The source a header or attribute names, or null for none or a value no source has. */
    public static EventSource of(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString(); // the AMQP client hands header strings over as LongString
        for (EventSource source : values()) {
            if (source.tag.equals(text)) {
                return source;
            }
        }
        return null;
    }

    /** The attributes with {@code gw-source} set to this source (replacing any). */
    public Map<String, String> stamp(Map<String, String> attributes) {
        if (tag.equals(attributes.get(ReservedAttributes.SOURCE))) {
            return attributes;
        }
        Map<String, String> stamped = new LinkedHashMap<>(attributes);
        stamped.put(ReservedAttributes.SOURCE, tag);
        return stamped;
    }

    /** The envelope with {@code gw-source} set to this source. */
    public Envelope stamp(Envelope envelope) {
        Map<String, String> attributes = stamp(envelope.attributes());
        if (attributes == envelope.attributes()) {
            return envelope;
        }
        return new Envelope(envelope.type(), envelope.messageId(), envelope.correlationId(), envelope.timestamp(),
                envelope.contentType(), envelope.routingKey(), attributes, envelope.payload());
    }
}

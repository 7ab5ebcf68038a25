package io.gamewire.protocol.camel;

/**
 * The Camel headers the {@code gwp} data format maps to and from envelope fields. They start with
 * {@code Camel}, so transports such as spring-rabbitmq do not copy them onto the wire: there the
 * envelope itself, in the body, carries them.
 */
public final class GwpHeaders {

    /** {@code FrameType} name: EVENT (default when marshalling), REQUEST or REPLY. */
    public static final String FRAME_TYPE = "CamelGwpFrameType";
    /** Message id as text (a UUID); generated when absent on marshal. */
    public static final String MESSAGE_ID = "CamelGwpMessageId";
    /** Correlation id as text (a UUID); required for a REPLY. */
    public static final String CORRELATION_ID = "CamelGwpCorrelationId";
    /** Event time, Unix milliseconds (Long); now when absent on marshal. */
    public static final String TIMESTAMP = "CamelGwpTimestamp";
    /** Media type of the payload; on marshal falls back to {@code Content-Type}, then the data format's default. */
    public static final String CONTENT_TYPE = "CamelGwpContentType";
    /** {@code title.env.service.command}; required on marshal. */
    public static final String ROUTING_KEY = "CamelGwpRoutingKey";
    /** {@code Map<String, String>} of attributes. */
    public static final String ATTRIBUTES = "CamelGwpAttributes";

    private GwpHeaders() {
    }
}

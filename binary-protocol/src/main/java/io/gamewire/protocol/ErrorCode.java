package io.gamewire.protocol;

/**
 * Numbered GWP error codes, carried by ERROR frames. {@link #closesConnection()} tells whether the
 * sender of the ERROR closes the connection after it (the stream cannot be trusted any more, or the
 * session is over) or whether only the one message was refused.
 *
 * <p>1–99: framing (the decoder); 100–199: the session; 200–299: one message.
 */
public enum ErrorCode {
    BAD_MAGIC(1, true, "the stream does not start with the GWP magic 'GW'"),
    UNSUPPORTED_VERSION(2, true, "protocol version not supported"),
    UNKNOWN_FRAME_TYPE(3, true, "frame type code not defined in this version"),
    FRAME_TOO_LARGE(4, true, "frame length over the receiver's limit"),
    MALFORMED_FRAME(5, true, "a field is truncated, overlong, badly encoded or a reserved bit is set"),
    LIMIT_EXCEEDED(6, true, "routing key, attribute count or attribute size over its limit"),

    AUTH_REQUIRED(100, true, "the first frame was not AUTH"),
    AUTH_FAILED(101, true, "unknown or revoked API key"),
    AUTH_TIMEOUT(102, true, "no AUTH within the time allowed"),
    IDLE_TIMEOUT(103, true, "no frame within the idle time"),
    TOO_MANY_CONNECTIONS(104, true, "the server's connection limit is reached"),
    SHUTTING_DOWN(105, true, "the server is stopping; reconnect to another instance"),

    NOT_ALLOWED(200, false, "the API key may not use this title or environment"),
    INVALID_ROUTING_KEY(201, false, "routing key is not title.env.service.command"),
    UNKNOWN_SERVICE(202, false, "no service is configured for the routing key"),
    INVALID_EVENT(203, false, "the payload breaks the command's schema"),
    RATE_LIMITED(204, false, "the API key's rate limit is exceeded; resend later"),
    TOO_MANY_IN_FLIGHT(205, false, "more unacknowledged frames than the window allows"),
    PUBLISH_FAILED(206, false, "the broker did not confirm the event; resend"),
    REQUEST_TIMEOUT(207, false, "no reply within the request timeout"),
    INTERNAL_ERROR(299, false, "the server failed; resend later");

    private static final ErrorCode[] BY_CODE = new ErrorCode[300];

    static {
        for (ErrorCode code : values()) {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;
    private final boolean closesConnection;
    private final String meaning;

    ErrorCode(int code, boolean closesConnection, String meaning) {
        this.code = code;
        this.closesConnection = closesConnection;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public boolean closesConnection() {
        return closesConnection;
    }

    public String meaning() {
        return meaning;
    }

    /** The code with this number, or null for a number this version does not define. */
    public static ErrorCode ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

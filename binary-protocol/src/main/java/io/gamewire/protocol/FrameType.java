package io.gamewire.protocol;

/** The GWP frame types and their codes on the wire (byte 3 of every frame). */
public enum FrameType {
    /** Client → server, first frame of a connection: API key and client name. */
    AUTH(0x01),
    /** Client → server: an event to publish; answered by ACK or ERROR. */
    EVENT(0x02),
    /** Client → server: a query; answered by REPLY or ERROR. */
    REQUEST(0x03),
    /** Server → client: the answer to a REQUEST, correlation id = the request's message id. */
    REPLY(0x04),
    /** Server → client: the frame with this message id was accepted (for an EVENT: confirmed by the broker). */
    ACK(0x05),
    /** Either way: a numbered error, for one message id or for the whole connection. */
    ERROR(0x06),
    /** Either way: liveness probe carrying a nonce. */
    PING(0x07),
    /** The answer to PING, echoing its nonce. */
    PONG(0x08);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null when the code is not defined in this protocol version. */
    public static FrameType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether frames of this type carry an envelope (routing key, attributes, payload). */
    public boolean isEnvelope() {
        return this == EVENT || this == REQUEST || this == REPLY;
    }
}

package io.gamewire.protocol;

/** Envelope attributes reserved for gamewire itself (names starting with {@code gw-}). */
public final class ReservedAttributes {

    /** When gamewire accepted the event: Unix milliseconds as decimal text. */
    public static final String RECEIVED_AT = "gw-received-at";

    /**
     * Where gamewire got the event: {@code http}, {@code tcp}, {@code pull}, {@code replay} (a
     * dead letter put back, or a stored event replayed into another environment) or
     * {@code console} (sent by an operator through the admin API). The monitor counts rates by it.
     */
    public static final String SOURCE = "gw-source";

    /** On an event replayed from another environment: the message id of the stored original. */
    public static final String REPLAY_OF = "gw-replay-of";

    /**
     * On a REPLY: how the request went, as an HTTP status code in decimal text ({@code 200} found,
     * {@code 400} bad request, {@code 404} no such record, {@code 500}/{@code 503} the service
     * failed). The payload of a non-200 reply is {@code {"error": "..."}}.
     */
    public static final String STATUS = "gw-status";

    private ReservedAttributes() {
    }
}

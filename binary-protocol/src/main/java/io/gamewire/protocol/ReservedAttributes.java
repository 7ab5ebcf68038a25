package io.gamewire.protocol;

/** Envelope attributes reserved for gamewire itself (names starting with {@code gw-}). */
public final class ReservedAttributes {

    /** When gamewire accepted the event: Unix milliseconds as decimal text. */
    public static final String RECEIVED_AT = "gw-received-at";

    /**
     * On a REPLY: how the request went, as an HTTP status code in decimal text ({@code 200} found,
     * {@code 400} bad request, {@code 404} no such record, {@code 500}/{@code 503} the service
     * failed). The payload of a non-200 reply is {@code {"error": "..."}}.
     */
    public static final String STATUS = "gw-status";

    private ReservedAttributes() {
    }
}

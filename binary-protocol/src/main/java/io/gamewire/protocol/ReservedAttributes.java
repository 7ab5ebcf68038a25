package io.gamewire.protocol;

/** Envelope attributes reserved for gamewire itself (names starting with {@code gw-}). */
public final class ReservedAttributes {

    /** When gamewire accepted the event: Unix milliseconds as decimal text. */
    public static final String RECEIVED_AT = "gw-received-at";

    private ReservedAttributes() {
    }
}

package io.gamewire.protocol;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Message ids: 16 bytes, laid out as a version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then
 * random bits.
 *
 * <p>Time-ordered ids keep the primary-key index of the {@code events} table append-mostly, which
 * matters for MySQL's clustered index; the random part makes ids from many instances collide with
 * negligible probability without any coordination.
 */
public final class MessageIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {
    }

    /** A new id for an event received now. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /** A new id whose time part is {@code epochMillis}. */
    public static UUID at(long epochMillis) {
        long random = RANDOM.nextLong();
        long randA = RANDOM.nextInt() & 0x0fffL;
        long msb = (epochMillis << 16) | 0x7000L | randA;
        long lsb = (random & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond timestamp held by a version 7 id. */
    public static long epochMillis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    /**
     * Parses the canonical 36-character form, refusing anything else with a message naming the value.
     *
     * @throws IllegalArgumentException when {@code text} is not a canonical UUID
     */
    public static UUID parse(String text) {
        if (text == null || text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-'
                || text.charAt(18) != '-' || text.charAt(23) != '-') {
            throw new IllegalArgumentException("message id '" + text
                    + "' is not a 36-character UUID such as 0190b6c2-7f3e-7abc-8def-0123456789ab");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("message id '" + text + "' is not a UUID: " + e.getMessage(), e);
        }
    }
}

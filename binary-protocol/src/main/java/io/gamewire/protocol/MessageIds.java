package io.gamewire.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Message ids: 16 bytes, laid out as a version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then
 * random bits; or, for events that must keep one id however often they are published, a name-based
 * version 8 UUID ({@link #named}).
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

    /**
     * The id named by {@code names}: the same names always give the same id, different names a
     * different one. For an event that may be published more than once without anyone knowing (a
     * pulled item fetched again after a restart, or by another instance), so that the sinks, which
     * are idempotent by message id, store it once.
     *
     * <p>A version 8 UUID (RFC 9562, section 5.8) built as its appendix B.2 does: the first 128 bits
     * of a SHA-256, with the version and variant bits set, leaving 122 bits of hash. Not version 7:
     * its time part would be the time of one publish, and no time is the same at every publish. Not
     * version 5: that is SHA-1. The cost is that these ids are not time-ordered, so their rows go
     * anywhere in the {@code events} primary-key index instead of at its end; fine for the volume
     * pulls bring, which is why {@link #next} stays the id of everything else.
     *
     * <p>Each name goes into the hash as its UTF-8 length (four bytes) and then its bytes, so no
     * separator inside a name can make two different lists hash alike ({@code "a:b", "c"} and
     * {@code "a", "b:c"} differ).
     *
     * @throws NullPointerException naming the position of a null name
     */
    public static UUID named(String... names) {
        MessageDigest sha256 = sha256();
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                throw new NullPointerException("name " + i + " of a named message id is null");
            }
            byte[] bytes = names[i].getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
        long msb = (hash.getLong() & ~0xf000L) | 0x8000L;
        long lsb = (hash.getLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (MessageDigest's Javadoc)
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
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
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("message id '" + text + "' is not a UUID: " + e.getMessage(), e);
        }
        if (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("message id '" + text + "' is all zero, which GWP's ERROR frames use"
                    + " for the connection; give every message an id of its own");
        }
        return id;
    }
}

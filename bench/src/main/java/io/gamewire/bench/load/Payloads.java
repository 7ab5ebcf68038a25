package io.gamewire.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON payloads of exactly the requested size that fit the schema of
 * {@code halo.prod.stats.match_end} (matchId string, map string, durationSeconds integer), filled
 * up by an undeclared {@code pad} field, which the schemas allow. Every payload has a matchId of
 * its own, so that the stores upsert a new row per event as real match ends would, not one hot row.
 *
 * <p>Thread-safe; the template is built once and only the id digits are written per payload.
 */
final class Payloads {

    private static final String HEAD = "{\"matchId\":\"bench-";
    private static final int ID_DIGITS = 16;
    private static final String MIDDLE = "\",\"map\":\"Blood Gulch\",\"durationSeconds\":600,\"pad\":\"";
    private static final String TAIL = "\"}";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The smallest payload: the fields with an empty pad. */
    static final int MIN_BYTES = HEAD.length() + ID_DIGITS + MIDDLE.length() + TAIL.length();

    private final byte[] template;
    /** A random start, so that runs against the same database do not overwrite each other's rows. */
    private final AtomicLong nextId = new AtomicLong(ThreadLocalRandom.current().nextLong());

    Payloads(int size) {
        if (size < MIN_BYTES) {
            throw new IllegalArgumentException("payload size " + size + " is under the minimum of " + MIN_BYTES);
        }
        String json = HEAD + "0".repeat(ID_DIGITS) + MIDDLE + "x".repeat(size - MIN_BYTES) + TAIL;
        this.template = json.getBytes(StandardCharsets.US_ASCII);
    }

    int size() {
        return template.length;
    }

    /** A new payload with the next match id. */
    byte[] next() {
        byte[] payload = template.clone();
        long id = nextId.getAndIncrement();
        for (int i = HEAD.length() + ID_DIGITS - 1; i >= HEAD.length(); i--) {
            payload[i] = HEX[(int) (id & 0xf)];
            id >>>= 4;
        }
        return payload;
    }
}

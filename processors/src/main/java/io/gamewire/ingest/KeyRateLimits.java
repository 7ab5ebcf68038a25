package io.gamewire.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key rate limits: a token bucket per API key, refilled at the key's rate (events per second,
 * from its title file) and holding at most one second's worth, so a key may burst up to its rate
 * and no further. Every translator takes a token per event before publishing it.
 */
public final class KeyRateLimits {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyRateLimits() {
        this(System::nanoTime);
    }

    /** With a clock of its own, for tests. */
    public KeyRateLimits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token of {@code key}'s bucket.
     *
     * @param perSecond the key's rate; 0 means no limit
     * @return 0 when the event may go, else the whole seconds to wait before a token is there
     */
    public long acquire(String key, int perSecond) {
        if (perSecond <= 0) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, nanoTime.getAsLong()));
        return bucket.take(perSecond, nanoTime.getAsLong());
    }

    /** Tokens are kept in nanosecond-weighted units to avoid floating point: one token = 1 s of nanos. */
    private static final class Bucket {
        private long units;
        private long last;

        Bucket(int perSecond, long now) {
            this.units = (long) perSecond * NANOS_PER_SECOND;
            this.last = now;
        }

        synchronized long take(int perSecond, long now) {
            long capacity = (long) perSecond * NANOS_PER_SECOND;
            // elapsed nanos * rate = units gained (one token costs NANOS_PER_SECOND units)
            long elapsed = Math.max(0, now - last);
            last = now;
            units = Math.min(capacity, units + Math.min(elapsed, NANOS_PER_SECOND) * perSecond);
            if (units >= NANOS_PER_SECOND) {
                units -= NANOS_PER_SECOND;
                return 0;
            }
            long missingNanos = (NANOS_PER_SECOND - units + perSecond - 1) / perSecond;
            return Math.max(1, (missingNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        }
    }
}

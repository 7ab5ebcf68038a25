package io.gamewire.monitor;

import io.gamewire.ingest.Refusal;
import java.util.Arrays;

/**
 * What one routing key saw in one bucket of time (a second or a minute): events by source, bytes,
 * dead letters, refusals by code, and the delays from received to stored. {@link TrafficRing}
 * reuses a slot for a later bucket by {@link #reset}ting it. Not thread-safe: the key's
 * {@link TrafficStats} entry guards it.
 */
final class TrafficSlot {

    /** Indexes into {@link #counts}: events by source first ({@link TrafficStats#SOURCES} of them). */
    static final int BYTES = TrafficStats.SOURCES;
    static final int DEAD_LETTERS = BYTES + 1;
    static final int DELAY_COUNT = DEAD_LETTERS + 1;
    static final int DELAY_MAX = DELAY_COUNT + 1;
    static final int REFUSALS = DELAY_MAX + 1;
    static final int SIZE = REFUSALS + Refusal.values().length;

    /** The bucket held: epoch second or epoch minute. */
    long bucket;
    final long[] counts = new long[SIZE];
    /** Delay counts per {@link DelayHistogram} bucket, made on the slot's first stored event. */
    int[] delays;

    TrafficSlot(long bucket) {
        this.bucket = bucket;
    }

    void reset(long bucket) {
        this.bucket = bucket;
        Arrays.fill(counts, 0);
        if (delays != null) {
            Arrays.fill(delays, 0);
        }
    }

    void delay(long delayMs) {
        if (delays == null) {
            delays = new int[DelayHistogram.BUCKETS];
        }
        delays[DelayHistogram.bucket(delayMs)]++;
        counts[DELAY_COUNT]++;
        counts[DELAY_MAX] = Math.max(counts[DELAY_MAX], delayMs);
    }

    /** Adds this slot's figures to {@code sum}. */
    void addTo(TrafficSlot sum) {
        for (int i = 0; i < SIZE; i++) {
            if (i == DELAY_MAX) {
                sum.counts[i] = Math.max(sum.counts[i], counts[i]);
            } else {
                sum.counts[i] += counts[i];
            }
        }
        if (delays != null) {
            if (sum.delays == null) {
                sum.delays = new int[DelayHistogram.BUCKETS];
            }
            for (int b = 0; b < delays.length; b++) {
                sum.delays[b] += delays[b];
            }
        }
    }

    long events() {
        long events = 0;
        for (int source = 0; source < TrafficStats.SOURCES; source++) {
            events += counts[source];
        }
        return events;
    }
}

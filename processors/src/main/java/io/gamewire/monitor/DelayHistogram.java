package io.gamewire.monitor;

/**
 * Delays in milliseconds counted in log-scaled buckets, four per doubling: bucket 0 holds delays
 * under 1 ms, bucket {@code b >= 1} holds {@code [2^((b-1)/4), 2^(b/4))} ms, and the last holds
 * everything from {@code 2^22} ms (about 70 min) on. A percentile is the geometric middle of the
 * bucket holding that rank (nearest rank), never above the exact maximum, so it is within 9.1 %
 * ({@code 2^(1/8) - 1}) of the true value for delays from 1 ms to 70 min; a delay under 1 ms
 * reads 0. The counts are plain {@code int[]}s that {@link TrafficSlot} keeps and this class reads.
 */
final class DelayHistogram {

    /** Buckets per doubling. */
    private static final int PER_DOUBLING = 4;
    private static final int DOUBLINGS = 22;
    static final int BUCKETS = 1 + PER_DOUBLING * DOUBLINGS + 1;

    private DelayHistogram() {
    }

    static int bucket(long delayMs) {
        if (delayMs < 1) {
            return 0;
        }
        // 1 + floor(4 * log2(d)); the epsilon keeps an exact power of two (log2 = 2.9999…) in its own bucket
        int b = 1 + (int) Math.floor(PER_DOUBLING * (Math.log(delayMs) / Math.log(2)) + 1e-9);
        return Math.min(b, BUCKETS - 1);
    }

    /** The value reported for a delay in {@code bucket}: its geometric middle. */
    static double middle(int bucket) {
        if (bucket == 0) {
            return 0;
        }
        return Math.pow(2, (bucket - 0.5) / PER_DOUBLING);
    }

    /**
     * The delay at quantile {@code q} (0 &lt; q &le; 1) of {@code count} delays counted in
     * {@code buckets}, capped at {@code max}.
     */
    static double percentile(int[] buckets, long count, long max, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int b = 0; b < buckets.length; b++) {
            seen += buckets[b];
            if (seen >= rank) {
                return Math.min(middle(b), max);
            }
        }
        return max;
    }
}

package io.gamewire.monitor;

/**
 * A ring of {@link TrafficSlot}s, one per bucket of {@code unitSeconds} (a second, a minute),
 * covering the last {@code slots} buckets. A slot is made on its bucket's first figure and reused
 * for the bucket {@code slots} later, so an idle key or an idle second costs nothing more. Not
 * thread-safe: the key's {@link TrafficStats} entry guards it.
 */
final class TrafficRing {

    private final int unitSeconds;
    private final TrafficSlot[] ring;

    TrafficRing(int slots, int unitSeconds) {
        this.unitSeconds = unitSeconds;
        this.ring = new TrafficSlot[slots];
    }

    /** The slot of the bucket holding {@code epochSecond}, emptied if it held an older bucket. */
    TrafficSlot slot(long epochSecond) {
        long bucket = epochSecond / unitSeconds;
        int index = (int) Math.floorMod(bucket, (long) ring.length);
        TrafficSlot slot = ring[index];
        if (slot == null) {
            slot = new TrafficSlot(bucket);
            ring[index] = slot;
        } else if (slot.bucket != bucket) {
            slot.reset(bucket);
        }
        return slot;
    }

    /**
     * Adds the last {@code buckets} buckets up to the one holding {@code epochSecond} (included)
     * to {@code sum}; with {@code series} non-null, also each bucket's events, oldest first.
     */
    void sum(long epochSecond, int buckets, TrafficSlot sum, long[] series) {
        long newest = epochSecond / unitSeconds;
        long oldest = newest - Math.min(buckets, ring.length) + 1;
        for (TrafficSlot slot : ring) {
            if (slot != null && slot.bucket >= oldest && slot.bucket <= newest) {
                slot.addTo(sum);
                if (series != null) {
                    series[(int) (slot.bucket - oldest)] += slot.events();
                }
            }
        }
    }
}

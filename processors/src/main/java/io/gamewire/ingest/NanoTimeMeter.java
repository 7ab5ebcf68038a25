package io.gamewire.ingest;

import io.github.bucket4j.TimeMeter;
import java.util.function.LongSupplier;

/**
 * Bucket4j's clock over a nanosecond source such as {@link System#nanoTime}: so local buckets can run
 * on a clock a test moves. Not wall-clock time, which Bucket4j's local buckets do not need.
 */
public final class NanoTimeMeter implements TimeMeter {

    private final LongSupplier nanoTime;

    public NanoTimeMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public long currentTimeNanos() {
        return nanoTime.getAsLong();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}

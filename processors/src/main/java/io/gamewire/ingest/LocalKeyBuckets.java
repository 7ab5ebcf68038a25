package io.gamewire.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The keys' buckets in this instance's memory: Bucket4j's local buckets, one per key. A key whose
 * rate changed (a title file reloaded) keeps its bucket with the new configuration
 * ({@link Bucket#replaceConfiguration}, tokens kept as they are, at most the new rate), so the new
 * rate holds from the next event on. A bucket not used for a second is full again, and so forgotten.
 */
final class LocalKeyBuckets implements KeyBuckets {

    private static final Duration FULL_AGAIN_AFTER = Duration.ofSeconds(1);

    private final TimeMeter clock;
    private final Cache<String, KeyBucket> buckets;

    /** @param nanoTime nanoseconds, as {@link System#nanoTime} (tests pass a clock of their own) */
    LocalKeyBuckets(LongSupplier nanoTime) {
        this.clock = new NanoTimeMeter(nanoTime);
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(FULL_AGAIN_AFTER)
                .ticker(nanoTime::getAsLong)
                // housekeeping on the calling thread, which is cheap here, instead of the common pool
                .executor(Runnable::run)
                .build();
    }

    @Override
    public ConsumptionProbe take(String key, int perSecond) {
        return buckets.get(key, ignored -> new KeyBucket(perSecond, clock)).take(perSecond);
    }

    /** A bucket and the rate it was configured for. */
    private static final class KeyBucket {
        private final Bucket bucket;
        private volatile int perSecond;

        KeyBucket(int perSecond, TimeMeter clock) {
            this.perSecond = perSecond;
            this.bucket = Bucket.builder().withCustomTimePrecision(clock)
                    .addLimit(KeyBuckets.limit(perSecond)).build();
        }

        ConsumptionProbe take(int rate) {
            // during a title reload, events admitted under the old and the new rate at one moment may
            // swap the configuration back and forth a few times; the tokens are kept as they are
            // (AS_IS), so no burst comes of it, and the new rate holds once the reload is in force
            if (rate != perSecond) {
                synchronized (this) {
                    if (rate != perSecond) {
                        bucket.replaceConfiguration(KeyBuckets.configuration(rate), TokensInheritanceStrategy.AS_IS);
                        perSecond = rate;
                    }
                }
            }
            return bucket.tryConsumeAndReturnRemaining(1);
        }
    }
}

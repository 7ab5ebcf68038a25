package io.gamewire.ingest;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Where the token buckets of the API keys' rate limits live: in this instance ({@link LocalKeyBuckets})
 * or in Redis, shared by every instance ({@link RedisKeyBuckets}). {@link KeyRateLimits} picks one.
 */
interface KeyBuckets {

    /**
     * Takes one token of {@code key}'s bucket, made for {@code perSecond} (positive) if it has none yet
     * or was made for another rate.
     */
    ConsumptionProbe take(String key, int perSecond);

    /**
     * A key's bucket: it holds {@code perSecond} tokens at most and refills evenly at that rate, so a
     * key may burst up to its rate and no further, and an empty bucket is full again after a second.
     */
    static Bandwidth limit(int perSecond) {
        return Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
    }

    /** A bucket configuration of {@link #limit} alone. */
    static BucketConfiguration configuration(int perSecond) {
        return BucketConfiguration.builder().addLimit(limit(perSecond)).build();
    }
}

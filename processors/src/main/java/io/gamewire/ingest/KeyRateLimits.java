package io.gamewire.ingest;

import io.github.bucket4j.ConsumptionProbe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-key rate limits: a Bucket4j token bucket per API key, holding at most the key's rate (events
 * per second, from its title file) and refilled at that rate, so a key may burst up to its rate and
 * no further. Every translator takes a token per event before publishing it; a key without a rate
 * takes none and touches no bucket.
 *
 * <p>The buckets are this instance's ({@link LocalKeyBuckets}: the embedded stack, or
 * {@value #SHARED_SETTING}{@code =false}) or shared by all instances in Redis ({@link RedisKeyBuckets}:
 * the prod profile). When Redis fails (refused, or no answer within its timeout), the key's event
 * takes a token of its local bucket instead, as does every event for the next
 * {@code retrySharedAfter}; then one event tries Redis again, and its success makes the limits
 * shared again. So during an outage each instance still limits every key to its rate, ingest
 * neither stops nor waits for Redis per event, and the outage is logged once, when it starts, and
 * once when it ends. The gauge {@code gamewire.rate_limits.shared} tells which buckets are in use.
 * A resilience4j circuit breaker does the counting (opened by one failure, one trial call when
 * half-open).
 */
public final class KeyRateLimits {

    /** The setting that picks shared (Redis) or local buckets. */
    public static final String SHARED_SETTING = "gamewire.rate-limits.shared";
    /** How long rate limits stay local after Redis failed, before an event tries Redis again. */
    public static final Duration RETRY_SHARED_AFTER = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(KeyRateLimits.class);

    private final LocalKeyBuckets local;
    private final RedisKeyBuckets shared;
    private final CircuitBreaker redisBreaker;
    private volatile RuntimeException lastRedisFailure;

    /** Local buckets only. */
    public KeyRateLimits() {
        this(System::nanoTime);
    }

    /** Local buckets only, on a clock of their own (nanoseconds, as {@link System#nanoTime}), for tests. */
    public KeyRateLimits(LongSupplier nanoTime) {
        this.local = new LocalKeyBuckets(nanoTime);
        this.shared = null;
        this.redisBreaker = null;
    }

    private KeyRateLimits(RedisKeyBuckets shared, Duration retrySharedAfter) {
        this.local = new LocalKeyBuckets(System::nanoTime);
        this.shared = shared;
        this.redisBreaker = CircuitBreaker.of("rate-limits-redis", CircuitBreakerConfig.custom()
                // one failed call opens it: each further try could hold an event for the whole timeout
                .slidingWindow(1, 1, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(retrySharedAfter)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        redisBreaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN -> LOG.warn("Redis at {} failed ({}): API keys' rate limits are kept by each"
                        + " gamewire instance on its own until it answers again (tried every {} ms)", shared.address(),
                        lastRedisFailure == null ? "unknown" : lastRedisFailure.toString(),
                        retrySharedAfter.toMillis());
                case HALF_OPEN_TO_CLOSED -> LOG.info("Redis at {} answers again: API keys' rate limits are shared"
                        + " by all instances again", shared.address());
                default -> LOG.debug("Shared rate limits: {}", event);
            }
        });
    }

    /**
     * Buckets in Redis, shared by every instance using it.
     *
     * @param retrySharedAfter how long after a failure of Redis the buckets stay local
     */
    public static KeyRateLimits shared(RedisKeyBuckets redis, Duration retrySharedAfter) {
        return new KeyRateLimits(redis, retrySharedAfter);
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
        ConsumptionProbe probe = shared == null ? local.take(key, perSecond) : sharedOrLocal(key, perSecond);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
    }

    private ConsumptionProbe sharedOrLocal(String key, int perSecond) {
        if (!redisBreaker.tryAcquirePermission()) {
            return local.take(key, perSecond);
        }
        long start = System.nanoTime();
        try {
            ConsumptionProbe probe = shared.take(key, perSecond);
            redisBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return probe;
        } catch (RuntimeException e) {
            lastRedisFailure = e;
            redisBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            return local.take(key, perSecond);
        }
    }

    /** Whether the buckets in use now are shared by all instances (false: local by setting, or Redis failing). */
    public boolean sharedNow() {
        return shared != null && redisBreaker.getState() == CircuitBreaker.State.CLOSED;
    }

    /** Adds the gauge {@code gamewire.rate_limits.shared}: 1 while the buckets are shared, 0 while local. */
    public KeyRateLimits registerIn(MeterRegistry registry) {
        Gauge.builder("gamewire.rate_limits.shared", this, limits -> limits.sharedNow() ? 1 : 0)
                .description("1 while API keys' rate limits are kept in Redis for all instances, 0 while this"
                        + " instance keeps them (" + SHARED_SETTING + "=false, or Redis failing)")
                .register(registry);
        return this;
    }

    /** Closes the Redis connections, if any. */
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }
}

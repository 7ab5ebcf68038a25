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
 * takes a token of its local bucket instead; when at least 10 and half or more of the last 20 calls
 * that reached Redis failed, every event does so for the next
 * {@code retrySharedAfter}; then one event tries Redis again, and its success makes the limits
 * shared again. So during an outage each instance still limits every key to its rate, ingest
 * neither stops nor waits for Redis per event, and the outage is logged once, when it starts, and
 * once when it ends. The gauge {@code gamewire.rate_limits.shared} tells which buckets are in use.
 * A resilience4j circuit breaker does the counting.
 *
 * <p>A call that reaches Redis (once per {@link RedisKeyBuckets#SYNC_EVERY} per key, the rest are
 * taken locally) holds its thread, a TCP connection's or an HTTP event's or batch's event loop too
 * ({@code EventPostsOnEventLoop}), and every other thread taking
 * a token of that key, for its round trip. Slowness is not counted against Redis: a key's first calls
 * (classes loaded, the script sent, the other threads waiting on the bucket meanwhile) took 94-369 ms
 * and, counted, made the limits local in every instance (ThreeInstancesClusterIT: 975 of a 40/s key
 * admitted in 10 s through three). A Redis that answers within its timeout, however slowly, is used.
 */
public final class KeyRateLimits {

    /** The setting that picks shared (Redis) or local buckets. */
    public static final String SHARED_SETTING = "gamewire.rate-limits.shared";
    /** How long rate limits stay local after Redis failed, before an event tries Redis again. */
    public static final Duration RETRY_SHARED_AFTER = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(KeyRateLimits.class);
    /**
     * A take that lasted this long reached Redis (a local take lasts microseconds, a round trip
     * hundreds of them): only those are told to the breaker, as telling it of every take would cost
     * an event object per token, several times the token itself.
     */
    private static final long ROUND_TRIP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final LocalKeyBuckets local;
    private final SharedKeyBuckets shared;
    private final CircuitBreaker redisBreaker;
    private final LongSupplier nanoTime;
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
        this.nanoTime = nanoTime;
    }

    KeyRateLimits(SharedKeyBuckets shared, Duration retrySharedAfter, LongSupplier nanoTime) {
        this.local = new LocalKeyBuckets(nanoTime);
        this.shared = shared;
        this.nanoTime = nanoTime;
        this.redisBreaker = CircuitBreaker.of("rate-limits-redis", CircuitBreakerConfig.custom()
                // of the last 20 calls that reached Redis, at least 10 and half or more failed: one
                // timeout (a GC pause, a burst's wait for a pooled connection) does not make them local
                .slidingWindow(20, 10, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(50)
                .waitDurationInOpenState(retrySharedAfter)
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(new NanoClock(nanoTime))
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
        return new KeyRateLimits(redis, retrySharedAfter, System::nanoTime);
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
        long start = nanoTime.getAsLong();
        try {
            ConsumptionProbe probe = shared.take(key, perSecond);
            long took = nanoTime.getAsLong() - start;
            // the half-open trial must tell, whatever it took
            if (took >= ROUND_TRIP_NANOS || redisBreaker.getState() != CircuitBreaker.State.CLOSED) {
                redisBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            return probe;
        } catch (RuntimeException e) {
            lastRedisFailure = e;
            redisBreaker.onError(nanoTime.getAsLong() - start, TimeUnit.NANOSECONDS, e);
            return local.take(key, perSecond);
        } catch (Error e) {
            // told, so that a half-open breaker is not left waiting for its trial for ever
            lastRedisFailure = new IllegalStateException(e.toString(), e);
            redisBreaker.onError(nanoTime.getAsLong() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    /** The breaker's clock (when to try Redis again) on the limits' own, so that tests can move it. */
    private static final class NanoClock extends java.time.Clock {
        private final LongSupplier nanoTime;

        NanoClock(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochSecond(0, nanoTime.getAsLong());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("a clock of elapsed time has no zone");
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

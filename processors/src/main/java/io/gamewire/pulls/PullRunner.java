package io.gamewire.pulls;

import io.gamewire.camel.NamedThreads;
import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Limits;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull engine, one per application, that starts every run (a {@link PullRun} each, scheduled or
 * manual) and keeps what lives between runs in memory, per pull: its circuit breaker, its dedupe
 * (whose ids live in the KV store), the request budgets of the hosts ({@link HostBudgets}), and a lock so two runs of one pull (a schedule and a manual run) never overlap. A run is
 * made and executed by {@link #run} on the calling thread; the watermark and validators live in the
 * KV store ({@link PullState}).
 *
 * <p>A run never throws: it returns a {@link PullResult}, counts it in the metrics
 * ({@link PullMetrics}), logs a summary at INFO, and a failure at WARN naming the pull.
 */
public final class PullRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    /** Waits between attempts of a request; tests pass one that records and returns. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = wait -> Thread.sleep(wait.toMillis());

        void sleep(Duration wait) throws InterruptedException;
    }

    /** What every run of this engine shares. */
    record Context(HttpClient http, PullPublisher publisher, KvStore kv, PullMetrics metrics,
                   Function<String, String> environment, Sleeper sleeper, Clock clock, RetryDelays delays,
                   ObjectMapper mapper, ScheduledExecutorService watchdog, HostBudgets budgets,
                   BooleanSupplier closed) {
    }

    private final Context context;
    private final Map<String, PullBreaker> breakers = new ConcurrentHashMap<>();
    /** The breakers as resilience4j knows them, named title/pull: their meters go to the registry. */
    private final CircuitBreakerRegistry breakerRegistry = CircuitBreakerRegistry.ofDefaults();
    private final Map<String, PullDedupe> dedupes = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
    /** The threads of the runs in progress, which {@link #interruptRuns()} interrupts; guarded by itself. */
    private final Set<Thread> runThreads = new HashSet<>();
    /**
     * Set under runThreads; read by the runs before each request (an interrupt can be lost: the
     * {@code retry:} file system of the KV store, and of the embedded H2 database, clears it).
     */
    private volatile boolean closed;

    /** With the real network, environment, sleep and clock. */
    public PullRunner(PullPublisher publisher, KvStore kv, MeterRegistry meters) {
        this(publisher, kv, meters, NamedThreads.PLAIN);
    }

    /** With the real network, environment, sleep and clock; {@code threads} gives the body watchdog its thread. */
    public PullRunner(PullPublisher publisher, KvStore kv, MeterRegistry meters, NamedThreads threads) {
        this(defaultHttpClient(), publisher, kv, meters, System::getenv, Sleeper.REAL, Clock.systemUTC(),
                ThreadLocalRandomGenerator.INSTANCE, threads);
    }

    /**
     * @param http        sends the requests ({@link #defaultHttpClient()} in production); must not follow
     *                    redirects itself (the runs do, keeping credentials on the publisher's origin)
     * @param publisher   puts items on the bus
     * @param kv          keeps each pull's {@link PullState}
     * @param meters      where the metrics go
     * @param environment reads environment variables ({@code System::getenv} in production)
     * @param sleeper     waits between attempts
     * @param clock       for the breaker, the dedupe expiry, Retry-After dates and last-run-at
     */
    public PullRunner(HttpClient http, PullPublisher publisher, KvStore kv, MeterRegistry meters,
                      Function<String, String> environment, Sleeper sleeper, Clock clock) {
        this(http, publisher, kv, meters, environment, sleeper, clock, ThreadLocalRandomGenerator.INSTANCE,
                NamedThreads.PLAIN);
    }

    PullRunner(HttpClient http, PullPublisher publisher, KvStore kv, MeterRegistry meters,
               Function<String, String> environment, Sleeper sleeper, Clock clock, RandomGenerator random,
               NamedThreads threads) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the pull engine's HttpClient follows redirects ("
                    + http.followRedirects() + "); it must not, the runs follow them without sending the pull's"
                    + " credentials to another host");
        }
        this.context = new Context(http, publisher, kv, new PullMetrics(meters), environment, sleeper, clock,
                new RetryDelays(clock, random), SharedJson.MAPPER, watchdog(threads), new HostBudgets(clock),
                () -> closed);
        // resilience4j_circuitbreaker_state, _calls, _failure_rate, … tagged name="title/pull"
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakerRegistry).bindTo(meters);
    }

    /**
     * One daemon thread for every run's {@link StalledBodyGuard}; it ends when no body was watched
     * for a while, so an engine that is dropped leaves no thread behind.
     */
    private static ScheduledExecutorService watchdog(NamedThreads threads) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads.single("gamewire-pull-watchdog"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(30, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * An HTTP client for pulls: gives up connecting after 10 s, and follows no redirect itself, since
     * its {@code Redirect.NORMAL} would send the pull's credentials to any host a publisher redirects
     * to; {@link PageFetcher} follows them instead.
     */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A scheduled run. */
    public PullResult run(String title, PullDefinition pull) {
        return run(title, pull, RunOptions.SCHEDULED);
    }

    /**
     * Runs {@code pull} of {@code title} once, now, on the calling thread: skipped when its breaker
     * is open (unless {@code options.force()}) or another run of it is in progress.
     */
    public PullResult run(String title, PullDefinition pull, RunOptions options) {
        String key = title + "/" + pull.name();
        ReentrantLock lock = running.computeIfAbsent(key, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            return skipped(title, pull, "a run of " + key + " is in progress");
        }
        if (!enter()) {
            lock.unlock();
            return skipped(title, pull, "the pull engine is closed (gamewire is stopping)");
        }
        try {
            PullBreaker breaker = breaker(key, pull.limits());
            // a forced (manual) run goes ahead without asking, its outcome still counts
            Optional<Instant> openUntil = options.force() ? Optional.empty() : breaker.tryStart();
            if (openUntil.isPresent()) {
                return skipped(title, pull, "circuit open until " + openUntil.get() + " after "
                        + breaker.consecutiveFailures() + " failed runs in a row");
            }
            PullResult result = new PullRun(title, pull, options, context, dedupe(title, pull)).execute();
            if (result.failed()) {
                breaker.failed();
                LOG.warn("{}", result.summary());
            } else {
                breaker.succeeded();
                LOG.info("{}", result.summary());
            }
            context.metrics().run(result);
            return result;
        } finally {
            leave();
            lock.unlock();
        }
    }

    private boolean enter() {
        synchronized (runThreads) {
            return !closed && runThreads.add(Thread.currentThread());
        }
    }

    /**
     * The run's thread goes back to its owner (a Quartz worker, which then records the job's
     * completion in its store) without the interrupt that {@link #interruptRuns()} may have sent: the run
     * has answered it by ending.
     */
    private void leave() {
        synchronized (runThreads) {
            runThreads.remove(Thread.currentThread());
            if (closed) {
                Thread.interrupted();
            }
        }
    }

    /** The stored state of a pull, for the CLI and the admin API. */
    public PullState state(String title, String pull) {
        return PullState.load(context.kv(), title, pull);
    }

    /** Whether a run of this pull is in progress in this instance. */
    public boolean running(String title, String pull) {
        ReentrantLock lock = running.get(title + "/" + pull);
        return lock != null && lock.isLocked();
    }

    /** The breaker of a pull ({@code CLOSED} for a pull that has not run). */
    public PullBreaker.State breakerState(String title, String pull) {
        PullBreaker breaker = breakers.get(title + "/" + pull);
        return breaker == null ? PullBreaker.State.CLOSED : breaker.state();
    }

    /** Drops the in-memory state of a pull that was removed from its title file. */
    public void forget(String title, String pull) {
        String key = title + "/" + pull;
        breakers.remove(key);
        breakerRegistry.remove(key);
        dedupes.remove(key);
        running.remove(key);
    }

    private PullResult skipped(String title, PullDefinition pull, String why) {
        PullResult result = new PullResult(title, pull.name(), PullResult.Outcome.SKIPPED, 0, 0, 0, 0, 0, false,
                null, why, context.clock().instant(), Duration.ZERO);
        LOG.info("{}", result.summary());
        context.metrics().run(result);
        return result;
    }

    /** The pull's breaker; a new one when the title file changed its limits. */
    private PullBreaker breaker(String key, Limits limits) {
        return breakers.compute(key, (k, existing) ->
                existing != null && existing.sameLimits(limits.breakerFailures(), limits.breakerOpenFor()) ? existing
                        : new PullBreaker(breakerRegistry, key, limits.breakerFailures(), limits.breakerOpenFor(),
                                context.clock()));
    }

    /** The pull's dedupe memory; a new one when the title file changed its size or TTL. */
    private PullDedupe dedupe(String title, PullDefinition pull) {
        Limits limits = pull.limits();
        return dedupes.compute(title + "/" + pull.name(), (k, existing) ->
                existing != null && existing.sameLimits(limits.dedupeSize(), limits.dedupeTtl()) ? existing
                        : new PullDedupe(context.kv(), PullDedupe.key(title, pull.name()), limits.dedupeSize(),
                                limits.dedupeTtl(), context.clock()));
    }

    /** Jitter from the calling thread's own generator: runs of different pulls share no state. */
    private enum ThreadLocalRandomGenerator implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }
    }

    /**
     * Ends the runs still in progress; called in a stop a moment before camel.main.shutdown-timeout
     * forces the routes down (a scheduled run still going then has outlasted the graceful stop). A
     * run is interrupted: it fails with "interrupted" at its next wait (a page, a retry's pause, the
     * confirms), or "the pull engine is closed" before its next request, its watermark at the last
     * confirmed page, and the next run goes on from there. Otherwise Quartz's shutdown would wait
     * for it to end, or Camel's forced stop fail its exchange. Runs asked for after this are
     * skipped. The body watchdog keeps watching: a run whose interrupt was lost still has its body
     * timeout.
     */
    public void interruptRuns() {
        synchronized (runThreads) {
            closed = true;
            runThreads.forEach(Thread::interrupt);
        }
    }

    /** {@link #interruptRuns()}, and stops the body watchdog's thread; called when Camel's services stop. */
    public void close() {
        interruptRuns();
        context.watchdog().shutdownNow();
    }

}

package io.gamewire.ops.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops gamewire when a store in its data folder breaks for good: the
 * embedded stack's broker store, KV file and H2 database, each of which closes itself after a
 * failed write (a full disk) and stays closed until the process restarts. Left running, gamewire
 * would take events it can no longer confirm or store, and fail every batch until someone
 * restarted it; stopped, its supervisor (systemd, Kubernetes) starts it again, the stores recover
 * what they had committed, and every acknowledged event is kept (docs/RELIABILITY.md, "Disk full").
 *
 * <p>Every {@code interval} each store is asked in turn. The first broken one is logged once, with
 * the free space of the data folder's disk, the {@code stores} health check turns DOWN (liveness:
 * a restart is what mends it), and {@code onBroken} runs once: the application completes its run
 * and exits {@value #EXIT_CODE}.
 */
public final class StoreFailureWatch extends ServiceSupport {

    /** The exit status of a run stopped for a broken store: sysexits' EX_IOERR. */
    public static final int EXIT_CODE = 74;

    private static final Logger LOG = LoggerFactory.getLogger(StoreFailureWatch.class);

    private final Map<String, Supplier<String>> stores;
    private final Path dataDir;
    private final Duration interval;
    private final Runnable onBroken;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param stores   the stores to watch, by what they are ("broker store", "KV store", "database"):
     *                 each says what broke it, or null while it works. A store that a failed write
     *                 breaks stays broken for as long as the process lives (Berkeley DB JE
     *                 invalidates its environment, MVStore and H2 refuse every write), so each
     *                 answers from the store's own state, never from one failed call
     * @param dataDir  the data folder, whose disk's free space the log names
     * @param interval how often each store is asked
     * @param onBroken what stops gamewire; run once, on the watch's thread
     */
    public StoreFailureWatch(Map<String, Supplier<String>> stores, Path dataDir, Duration interval, Runnable onBroken) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive, was " + interval);
        }
        // in the order given: "the first broken one" is the same on every run
        this.stores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stores));
        this.dataDir = dataDir;
        this.interval = interval;
        this.onBroken = onBroken;
    }

    /** Null while every store works; else what broke the first one found broken. */
    public String failure() {
        return failure.get();
    }

    /** Asks every store once; on the first broken one, logs it and runs {@code onBroken}. Public for tests. */
    public void check() {
        if (failure.get() != null) {
            return;
        }
        for (Map.Entry<String, Supplier<String>> store : stores.entrySet()) {
            String broken = brokenBy(store.getKey(), store.getValue());
            if (broken != null && failure.compareAndSet(null, broken)) {
                LOG.error("A store in the data folder broke for good ({}): {}. The disk of {} has {} free. gamewire"
                        + " stops now and exits {}: started again (by its supervisor, or by hand once the disk has"
                        + " room), it reopens its stores, which recover what they had committed; events that were"
                        + " not acknowledged are resent by their clients", store.getKey(), broken, dataDir,
                        freeSpace(), EXIT_CODE);
                try {
                    onBroken.run();
                } catch (RuntimeException e) {
                    LOG.error("Stopping gamewire for the broken store failed; stop it by hand", e);
                }
                return;
            }
        }
    }

    /** The store's answer; a check that throws is logged and counts as working, so that it hides no other store. */
    private static String brokenBy(String what, Supplier<String> store) {
        try {
            return store.get();
        } catch (RuntimeException e) {
            LOG.warn("Checking the {} failed: {}", what, e.toString());
            return null;
        }
    }

    private String freeSpace() {
        try {
            return Files.getFileStore(dataDir).getUsableSpace() / (1024 * 1024) + " MB";
        } catch (IOException | RuntimeException e) {
            return "an unknown amount of space (" + e.getMessage() + ")";
        }
    }

    @Override
    protected void doStart() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gamewire-store-watch");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the rounds and waits for one under way: the stores are closed on purpose after this
     * (Camel stops the watch before them), and a round still asking would take that for a break.
     */
    @Override
    protected void doStop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A check of the stores is still running after 10 s; the stop goes on");
            }
            scheduler = null;
        }
    }
}

package io.gamewire.pulls;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.quartz.JobPersistenceException;
import org.quartz.SchedulerException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz's {@link JobStoreTX}, except that once the scheduler is stopping a write that keeps failing
 * is given up, and a statement that hangs is cut.
 *
 * <p>Quartz retries its writes that must not be lost (a job's completion, an acquired trigger's
 * release) every {@code dbRetryInterval} until they succeed or the store has shut down. But its
 * {@code shutdown(true)} waits for the worker threads and for its own scheduler thread before it
 * shuts the store down: with the database gone, a worker retrying to record its job's completion
 * held the stop for good ({@code PullStopIT}). Quartz begins every shutdown by pausing the store
 * ({@code standby}; gamewire never pauses it otherwise). From then on:
 * <ul>
 *   <li>a failing write is retried every second (a retry that was waiting is woken at once), for a
 *       blip of the database during the stop, until {@link #setStopGraceMs the grace} has passed;
 *       then it is given up without another attempt. What is not written is what a lost instance
 *       leaves too: the cluster (or this instance's next start) recovers the trigger;</li>
 *   <li>when the grace has passed, if a write failed during it or a statement has been running for
 *       {@link #HUNG_MS} (5 s) or more, the store's connection pool is closed, which aborts a statement
 *       waiting on a database that no longer answers (no socket timeout would end it). A stop
 *       whose database answers keeps its pool until the store's own shutdown.</li>
 * </ul>
 * An attempt waiting for a connection from the pool ends at the pool's connection timeout
 * ({@link QuartzJobStore#CONNECTION_TIMEOUT_MS}). The stop itself still waits for the jobs and
 * releases the triggers it holds whenever the database answers; shutting down without the wait
 * ({@code interruptJobsOnShutdown}) raced the scheduler thread's release against the store's
 * shutdown, and logged an error at stops.
 */
public class JdbcJobStore extends JobStoreTX {

    /** The pause between retries of a failing write once the stop has begun. */
    private static final long STOPPING_RETRY_MS = 1_000;
    /** A statement running this long when the grace ends is taken for hung. */
    static final long HUNG_MS = 5_000;
    /** Where the pool is closed: a thread of its own, since the close may wait on the pool's threads. */
    private static final Executor POOL_CUTTER = task -> {
        Thread thread = new Thread(task, "gamewire-quartz-pool-cut");
        thread.setDaemon(true);
        thread.start();
    };

    /** Waited on between retries; notified when the scheduler begins to stop. */
    private final Object retryPause = new Object();
    /** The statements in progress, by thread, with the {@link System#nanoTime()} each began at. */
    private final Map<Thread, Long> inProgress = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** {@link System#nanoTime()} after which a failing write is given up; set when the stop begins. */
    private volatile long giveUpAt;
    private volatile boolean failedWhileStopping;
    private volatile long stopGraceMs = 10_000;
    private volatile long hungMs = HUNG_MS;
    private CompletableFuture<Void> poolCut; // guarded by retryPause

    /** How long after the stop begins failing writes are still retried; 10 s by default. */
    public void setStopGraceMs(long stopGraceMs) {
        this.stopGraceMs = stopGraceMs;
    }

    /** For tests: how long a statement runs before it is taken for hung. */
    void setHungMs(long hungMs) {
        this.hungMs = hungMs;
    }

    @Override
    public void schedulerStarted() throws SchedulerException {
        running();
        super.schedulerStarted();
    }

    @Override
    public void schedulerResumed() {
        running();
        super.schedulerResumed();
    }

    @Override
    public void schedulerPaused() {
        super.schedulerPaused();
        synchronized (retryPause) {
            if (stopping) {
                return;
            }
            giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopGraceMs);
            failedWhileStopping = false;
            stopping = true;
            poolCut = CompletableFuture.runAsync(this::cutConnectionsIfStuck,
                    CompletableFuture.delayedExecutor(stopGraceMs, TimeUnit.MILLISECONDS, POOL_CUTTER));
            retryPause.notifyAll();
        }
    }

    @Override
    public void shutdown() {
        schedulerPaused();
        super.shutdown(); // closes the pool
        synchronized (retryPause) {
            cancelPoolCut();
        }
    }

    private void running() {
        synchronized (retryPause) {
            stopping = false;
            cancelPoolCut();
        }
    }

    private void cancelPoolCut() {
        if (poolCut != null) {
            poolCut.cancel(false);
            poolCut = null;
        }
    }

    /** At the grace's end: closes the pool if a write failed during the stop or a statement hangs. */
    private void cutConnectionsIfStuck() {
        long now = System.nanoTime();
        boolean hung = inProgress.values().stream().anyMatch(began -> now - began >= TimeUnit.MILLISECONDS.toNanos(hungMs));
        if (stopping && (failedWhileStopping || hung)) {
            getLog().warn("Quartz job store: {} ms into the stop {}; its connections are closed and such writes"
                    + " given up", stopGraceMs, hung ? "a statement still hangs" : "its writes still fail");
            cutConnections();
        }
    }

    /**
     * Closes the store's connection pool, aborting the statements in progress; the store's shutdown
     * closes it again, which does nothing.
     */
    protected void cutConnections() {
        try {
            DBConnectionManager.getInstance().shutdown(getDataSource());
        } catch (SQLException | RuntimeException e) {
            getLog().warn("Quartz job store: its connections could not be closed: {}", e.toString());
        }
    }

    @Override
    protected <T> T executeInNonManagedTXLock(String lockName, TransactionCallback<T> txCallback,
                                              TransactionValidator<T> txValidator) throws JobPersistenceException {
        Thread self = Thread.currentThread();
        inProgress.put(self, System.nanoTime());
        try {
            return attempt(lockName, txCallback, txValidator);
        } catch (JobPersistenceException | RuntimeException e) {
            if (stopping) {
                failedWhileStopping = true;
            }
            throw e;
        } finally {
            inProgress.remove(self);
        }
    }

    /** One statement's transaction, as Quartz runs it; tests put a database that fails here. */
    protected <T> T attempt(String lockName, TransactionCallback<T> txCallback,
                            TransactionValidator<T> txValidator) throws JobPersistenceException {
        return super.executeInNonManagedTXLock(lockName, txCallback, txValidator);
    }

    @Override
    protected <T> T retryExecuteInNonManagedTXLock(String lockName, TransactionCallback<T> txCallback) {
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                return executeInNonManagedTXLock(lockName, txCallback, null);
            } catch (JobPersistenceException | RuntimeException e) {
                failure = e;
            }
            if (!stopping && attempt % 4 == 1) {
                getLog().warn("Quartz job store: a write failed (attempt {}); it is retried every {} ms until it"
                        + " succeeds or the scheduler stops: {}", attempt, getDbRetryInterval(), failure.toString());
            }
            pauseBeforeRetry();
            if (stopping && System.nanoTime() - giveUpAt >= 0) {
                throw new IllegalStateException("Quartz job store: a write gave up after " + attempt
                        + " attempt(s): the scheduler is stopping and " + stopGraceMs + " ms have passed since;"
                        + " the cluster or the next start recovers its trigger. The last failure: "
                        + failure.getMessage(), failure);
            }
        }
    }

    /** Waits the retry interval, or once the stop has begun a second at most, up to the grace's end; woken when it begins. */
    private void pauseBeforeRetry() {
        synchronized (retryPause) {
            long pauseNanos = stopping
                    ? Math.min(TimeUnit.MILLISECONDS.toNanos(STOPPING_RETRY_MS), giveUpAt - System.nanoTime())
                    : TimeUnit.MILLISECONDS.toNanos(getDbRetryInterval());
            if (pauseNanos <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(retryPause, pauseNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Quartz job store: interrupted between retries of a write", e);
            }
        }
    }
}

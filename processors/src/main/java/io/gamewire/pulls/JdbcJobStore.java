package io.gamewire.pulls;

import org.quartz.JobPersistenceException;
import org.quartz.SchedulerException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;

/**
 * Quartz's {@link JobStoreTX}, except that a write which fails while the scheduler is stopping is
 * not retried.
 *
 * <p>Quartz retries its writes that must not be lost (a job's completion, an acquired trigger's
 * release) every {@code dbRetryInterval} until they succeed or the store has shut down. But its
 * {@code shutdown(true)} waits for the worker threads and for its own scheduler thread before it
 * shuts the store down: with the database gone, a worker retrying to record its job's completion
 * held the stop for good ({@code PullStopIT}). Quartz begins every shutdown by pausing the store
 * ({@code standby}; gamewire never pauses it otherwise), so from then on a failed write is given up
 * at once, and a retry that is waiting is woken to give up. What is not written is what a lost
 * instance leaves too: the cluster (or this instance's next start) recovers the trigger. The stop
 * itself still waits for the jobs and releases the triggers it holds whenever the database
 * answers, so shutting down without the wait ({@code interruptJobsOnShutdown}) is not needed; that
 * raced the scheduler thread's release against the store's shutdown and logged an error at stops.
 */
public class JdbcJobStore extends JobStoreTX {

    /** Waited on between retries; notified when the scheduler begins to stop. */
    private final Object retryPause = new Object();
    private volatile boolean stopping;

    @Override
    public void schedulerStarted() throws SchedulerException {
        stopping = false;
        super.schedulerStarted();
    }

    @Override
    public void schedulerResumed() {
        stopping = false;
        super.schedulerResumed();
    }

    @Override
    public void schedulerPaused() {
        super.schedulerPaused();
        stopping = true;
        synchronized (retryPause) {
            retryPause.notifyAll();
        }
    }

    @Override
    public void shutdown() {
        schedulerPaused();
        super.shutdown();
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
            if (!pausedBeforeRetry()) {
                throw new IllegalStateException("Quartz job store: a write gave up after " + attempt
                        + " attempt(s) because the scheduler is stopping; the cluster or the next start recovers"
                        + " its trigger. The last failure: " + failure.getMessage(), failure);
            }
        }
    }

    /** Waits the retry interval; false, at once or when woken, if the scheduler is stopping. */
    private boolean pausedBeforeRetry() {
        synchronized (retryPause) {
            if (!stopping) {
                try {
                    retryPause.wait(getDbRetryInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Quartz job store: interrupted between retries of a write", e);
                }
            }
            return !stopping;
        }
    }
}

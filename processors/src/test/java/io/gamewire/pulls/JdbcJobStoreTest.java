package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quartz.JobPersistenceException;

/**
 * The retries of Quartz's writes: on while the scheduler runs; once it stops, every second until the
 * stop's grace has passed, then given up, and the pool cut.
 */
class JdbcJobStoreTest {

    @Test
    void whileTheSchedulerRunsAFailedWriteIsRetriedUntilItSucceeds() {
        StoreOverADatabase store = new StoreOverADatabase(2);
        store.setDbRetryInterval(10);

        assertThat(store.write()).isEqualTo("written");
        assertThat(store.attempts.get()).isEqualTo(3);
        assertThat(store.cuts.get()).isZero();
    }

    @Test
    void aRetryWaitingWhenTheStopBeginsIsWokenAndSucceedsIfTheDatabaseAnswers() {
        StoreOverADatabase store = new StoreOverADatabase(1);
        store.setDbRetryInterval(TimeUnit.MINUTES.toMillis(10));
        CompletableFuture<String> write = CompletableFuture.supplyAsync(store::write);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.attempts.get() == 1);

        store.schedulerPaused(); // how Quartz's shutdown begins

        assertThat(write).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("written");
        assertThat(store.attempts.get()).isEqualTo(2);
    }

    @Test
    void aWriteStillFailingWhenTheGraceHasPassedIsGivenUpAndThePoolCut() {
        StoreOverADatabase store = new StoreOverADatabase(Integer.MAX_VALUE);
        store.setDbRetryInterval(TimeUnit.MINUTES.toMillis(10));
        store.setStopGraceMs(1_500);
        CompletableFuture<String> write = CompletableFuture.supplyAsync(store::write);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.attempts.get() == 1);

        store.schedulerPaused();

        assertThat(write).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("the scheduler is stopping and 1500 ms have passed since")
                .withMessageContaining("database gone");
        // woken at the stop, then once a second within the grace
        assertThat(store.attempts.get()).isBetween(3, 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.cuts.get() == 1);
    }

    @Test
    void aSchedulerResumedWithinTheGraceRetriesAsBeforeAndKeepsItsPool() {
        StoreOverADatabase store = new StoreOverADatabase(1);
        store.setDbRetryInterval(10);
        store.setStopGraceMs(200);
        store.schedulerPaused();
        store.schedulerResumed();

        assertThat(store.write()).isEqualTo("written");
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> store.cuts.get() == 0);
    }

    /** A store whose database fails the first {@code failures} writes, then answers; cuts are counted. */
    private static final class StoreOverADatabase extends JdbcJobStore {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger cuts = new AtomicInteger();
        private final int failures;

        StoreOverADatabase(int failures) {
            this.failures = failures;
        }

        String write() {
            return retryExecuteInNonManagedTXLock(LOCK_TRIGGER_ACCESS, connection -> "written");
        }

        @Override
        protected <T> T executeInNonManagedTXLock(String lockName, TransactionCallback<T> txCallback,
                                                  TransactionValidator<T> txValidator) throws JobPersistenceException {
            if (attempts.incrementAndGet() <= failures) {
                throw new JobPersistenceException("database gone");
            }
            return txCallback.execute((Connection) null);
        }

        @Override
        protected void cutConnections() {
            cuts.incrementAndGet();
        }
    }
}

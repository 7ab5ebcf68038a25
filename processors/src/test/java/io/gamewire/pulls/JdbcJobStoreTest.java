package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobPersistenceException;
import org.junit.jupiter.api.Test;

/** The retries of Quartz's writes: on while the scheduler runs, given up once it stops. */
class JdbcJobStoreTest {

    @Test
    void whileTheSchedulerRunsAFailedWriteIsRetriedUntilItSucceeds() {
        StoreOverADatabase store = new StoreOverADatabase(2);
        store.setDbRetryInterval(10);

        assertThat(store.write()).isEqualTo("written");
        assertThat(store.attempts.get()).isEqualTo(3);
    }

    @Test
    void aRetryWaitingWhenTheSchedulerStopsGivesUpAtOnceWithTheLastFailure() throws Exception {
        StoreOverADatabase store = new StoreOverADatabase(Integer.MAX_VALUE);
        store.setDbRetryInterval(TimeUnit.MINUTES.toMillis(10));
        CompletableFuture<String> write = CompletableFuture.supplyAsync(store::write);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.attempts.get() == 1);

        store.schedulerPaused(); // how Quartz's shutdown begins

        assertThat(write).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("gave up after 1 attempt(s) because the scheduler is stopping")
                .withMessageContaining("database gone");
        assertThat(store.attempts.get()).isEqualTo(1);
    }

    @Test
    void aWriteThatFailsAfterTheStopBeganIsNotRetried() {
        StoreOverADatabase store = new StoreOverADatabase(Integer.MAX_VALUE);
        store.setDbRetryInterval(TimeUnit.MINUTES.toMillis(10));
        store.schedulerPaused();

        assertThat(CompletableFuture.supplyAsync(store::write)).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .withMessageContaining("scheduler is stopping");
        assertThat(store.attempts.get()).isEqualTo(1);
    }

    @Test
    void aResumedSchedulerRetriesAgain() {
        StoreOverADatabase store = new StoreOverADatabase(1);
        store.setDbRetryInterval(10);
        store.schedulerPaused();
        store.schedulerResumed();

        assertThat(store.write()).isEqualTo("written");
        assertThat(store.attempts.get()).isEqualTo(2);
    }

    /** A store whose database fails the first {@code failures} writes, then answers. */
    private static final class StoreOverADatabase extends JdbcJobStore {
        final AtomicInteger attempts = new AtomicInteger();
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
    }
}

package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quartz.JobPersistenceException;
import org.quartz.utils.DBConnectionManager;
import org.quartz.utils.HikariCpPoolingConnectionProvider;

/**
 * The retries of Quartz's writes: on while the scheduler runs; once it stops, every second until the
 * stop's grace has passed, then given up; and the pool cut then only if writes failed or hang.
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
        // woken at the stop, then once a second within the grace (fewer on a machine slow to wake
        // the thread), none after it
        assertThat(store.attempts.get()).isBetween(2, 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.cuts.get() == 1);
    }

    @Test
    void aStopWhoseDatabaseAnswersKeepsItsPool() {
        StoreOverADatabase store = new StoreOverADatabase(0);
        store.setStopGraceMs(200);
        store.schedulerPaused();

        assertThat(store.write()).isEqualTo("written");
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> store.cuts.get() == 0);
    }

    @Test
    void aStatementThatHangsPastTheGraceHasThePoolCut() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        StoreOverADatabase store = new StoreOverADatabase(0) {
            @Override
            void statement() throws InterruptedException {
                answer.await(30, TimeUnit.SECONDS);
            }
        };
        store.setStopGraceMs(300);
        store.setHungMs(200);
        CompletableFuture<String> write = CompletableFuture.supplyAsync(store::write);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.attempts.get() == 1);

        store.schedulerPaused();

        await().atMost(Duration.ofSeconds(5)).until(() -> store.cuts.get() == 1);
        answer.countDown(); // as the cut pool's abort would end it
        assertThat(write).succeedsWithin(Duration.ofSeconds(5));
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

    @Test
    void theCutClosesTheStoresOwnPool() throws Exception {
        String name = "jdbc-job-store-test-" + System.nanoTime();
        HikariCpPoolingConnectionProvider pool = new HikariCpPoolingConnectionProvider("org.h2.Driver",
                "jdbc:h2:mem:" + name, "sa", "", 2, null);
        DBConnectionManager.getInstance().addConnectionProvider(name, pool);
        JdbcJobStore store = new JdbcJobStore();
        store.setDataSource(name);
        try (Connection connection = pool.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }

        store.cutConnections();

        assertThat(pool.getDataSource().isClosed()).isTrue();
    }

    /** A store whose database fails the first {@code failures} writes, then answers; cuts are counted. */
    private static class StoreOverADatabase extends JdbcJobStore {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger cuts = new AtomicInteger();
        private final int failures;

        StoreOverADatabase(int failures) {
            this.failures = failures;
        }

        String write() {
            return retryExecuteInNonManagedTXLock(LOCK_TRIGGER_ACCESS, connection -> "written");
        }

        /** What the database does with a statement that it answers. */
        void statement() throws InterruptedException {
        }

        @Override
        protected <T> T attempt(String lockName, TransactionCallback<T> txCallback,
                                TransactionValidator<T> txValidator) throws JobPersistenceException {
            if (attempts.incrementAndGet() <= failures) {
                throw new JobPersistenceException("database gone");
            }
            try {
                statement();
            } catch (InterruptedException e) {
                throw new JobPersistenceException("interrupted", e);
            }
            return txCallback.execute((Connection) null);
        }

        @Override
        protected void cutConnections() {
            cuts.incrementAndGet();
        }
    }
}

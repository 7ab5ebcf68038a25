package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SinkBatcherTest {

    /** Records the batches it is given and answers with {@code outcome}. */
    private static final class RecordingWriter implements SinkBatcher.BatchWriter {
        final List<List<StoredEvent>> batches = Collections.synchronizedList(new ArrayList<>());
        volatile Function<List<StoredEvent>, List<Throwable>> outcome = batch -> Collections.nCopies(batch.size(), null);
        volatile CountDownLatch hold = new CountDownLatch(0);

        @Override
        public List<Throwable> write(List<StoredEvent> batch) {
            batches.add(List.copyOf(batch));
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return outcome.apply(batch);
        }
    }

    private final RecordingWriter writer = new RecordingWriter();
    private SinkBatcher batcher;

    @AfterEach
    void stop() {
        if (batcher != null) {
            batcher.stop();
        }
    }

    private SinkBatcher start(int maxEvents, long maxWaitMs, int writers) {
        batcher = new SinkBatcher(writer, maxEvents, maxWaitMs, writers);
        batcher.start();
        return batcher;
    }

    private static StoredEvent event() {
        return new StoredEvent(MessageIds.next(), RoutingKey.parse("t.prod.s.c"), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), 1, 1);
    }

    @Test
    void aBatchClosesWhenFull() throws Exception {
        start(10, 60_000, 1);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(batcher.submit(event()));
        }

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        // the batch wait is a minute: only full batches can have closed this soon
        assertThat(writer.batches.stream().map(List::size).toList()).containsExactly(10, 10);
    }

    @Test
    void aBatchClosesWhenItsTimeIsUp() throws Exception {
        start(100, 50, 1);
        long started = System.nanoTime();
        batcher.submit(event()).get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(45);
        assertThat(writer.batches).singleElement().satisfies(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void eachEventGetsItsOwnOutcome() {
        start(3, 1000, 1);
        SQLTransientConnectionException down = new SQLTransientConnectionException("database down");
        writer.outcome = batch -> java.util.Arrays.asList(null, down, null);

        List<CompletableFuture<Void>> futures = List.of(batcher.submit(event()), batcher.submit(event()),
                batcher.submit(event()));

        await().until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        assertThat(futures.get(0)).isCompleted();
        assertThat(futures.get(1)).isCompletedExceptionally();
        assertThat(futures.get(2)).isCompleted();
        assertThat(futures.get(1)).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCause(down);
    }

    @Test
    void stoppingWritesWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        start(1, 60_000, 1);
        writer.hold = new CountDownLatch(1); // the first batch waits, the others queue behind it
        batcher.submit(event());
        await().until(() -> writer.batches.size() == 1);
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            queued.add(batcher.submit(event()));
        }
        Thread stopping = new Thread(batcher::stop);
        stopping.start();
        List<CompletableFuture<Void>> late = new ArrayList<>();
        await().until(() -> {
            late.add(batcher.submit(event()));
            return late.get(late.size() - 1).isCompletedExceptionally();
        });
        writer.hold.countDown();
        stopping.join(10_000);

        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(late.get(late.size() - 1)).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SinkStoppedException.class);
    }

    @Test
    void twoWritersWriteTwoBatchesAtOnce() throws Exception {
        start(2, 60_000, 2);
        writer.hold = new CountDownLatch(1); // neither batch finishes until both started
        for (int i = 0; i < 4; i++) {
            batcher.submit(event());
        }

        await().until(() -> writer.batches.size() == 2); // both writers busy at the same time
        writer.hold.countDown();
    }

    @Test
    void storedListenersAreToldOfEveryStoredEventWithTheMomentBeforeItsFutureCompletes() throws Exception {
        writer.outcome = batch -> java.util.Arrays.asList(null, new IllegalStateException("refused by the database"));
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        start(2, 60_000, 1);
        long before = System.currentTimeMillis();
        batcher.onStored((event, storedAt) -> told.add(event.messageId() + "@" + (storedAt >= before)));
        StoredEvent stored = event();

        CompletableFuture<Void> done = batcher.submit(stored);
        CompletableFuture<Void> failed = batcher.submit(event());

        done.get(10, TimeUnit.SECONDS);
        assertThat(failed).failsWithin(Duration.ofSeconds(10));
        assertThat(told).containsExactly(stored.messageId() + "@true");
    }
}

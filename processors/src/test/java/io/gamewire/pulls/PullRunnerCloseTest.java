package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.titles.model.PullDefinition;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing the engine at a stop ends a scheduled run still in progress (it outlasted the routes'
 * graceful stop), so that Quartz's shutdown, which waits for its jobs, is not held by it.
 */
class PullRunnerCloseTest extends PullTestSupport {

    private final CountDownLatch releaseSecondPage = new CountDownLatch(1);
    /** Stands for a Quartz worker thread. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void release() {
        releaseSecondPage.countDown();
        worker.shutdownNow();
    }

    /** What the worker thread saw: the run's result, and whether it came back interrupted. */
    private record WorkerView(PullResult result, boolean interruptedAfter) {
    }

    @Test
    void aRunInProgressFailsAsInterruptedAtItsLastConfirmedPageAndItsThreadComesBackClear() throws Exception {
        serveTwoPagesTheSecondHeldBack(releaseSecondPage, Duration.ofSeconds(60));
        PullDefinition pull = cursorFeed();
        CompletableFuture<WorkerView> run = CompletableFuture.supplyAsync(() -> {
            PullResult result = runner.run(TITLE, pull);
            return new WorkerView(result, Thread.currentThread().isInterrupted());
        }, worker);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.getRequestCount() == 2);

        runner.interruptRuns(); // a moment before a stop is forced

        WorkerView view = run.get(10, TimeUnit.SECONDS);
        assertThat(view.result().outcome()).isEqualTo(PullResult.Outcome.FAILED);
        assertThat(view.result().failure()).contains("page 2: interrupted while fetching");
        assertThat(view.interruptedAfter()).as("the worker's thread still interrupted").isFalse();
        assertThat(storedWatermark(pull.name())).isEqualTo("2");
        assertThat(publisher.ids()).containsExactly("a", "b");
    }

    /**
     * The embedded KV store's file system clears an interrupt that comes during a write (it reopens
     * the file the interrupt closed): the run still stops, before its next request.
     */
    @Test
    void aRunWhoseInterruptWasLostStopsBeforeItsNextRequest() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                armed.set(true);
                return json("{\"items\": [{\"id\": \"a\", \"seq\": 1}], \"next\": \"p2\"}");
            }
        });
        PullRunner[] closing = new PullRunner[1];
        // a KV store that, at its first write after page 1 was served, has the engine closed and the
        // interrupt swallowed, on the run's own thread, as the write would
        io.gamewire.sinks.kv.KvStore swallowing = (io.gamewire.sinks.kv.KvStore) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.gamewire.sinks.kv.KvStore.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("merge") && armed.compareAndSet(true, false)) {
                        closing[0].interruptRuns();
                        Thread.interrupted();
                    }
                    try {
                        return method.invoke(kv, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        closing[0] = newRunner(java.net.http.HttpClient.newBuilder().build(), swallowing);
        PullDefinition pull = cursorFeed();

        PullResult result = closing[0].run(TITLE, pull);

        assertThat(result.failure()).contains("page 2: not sent to " + url("/feed"))
                .endsWith(": the pull engine is closed (gamewire is stopping)");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(storedWatermark(pull.name())).isEqualTo("1");
    }

    @Test
    void aRunAskedForAfterTheCloseIsSkipped() {
        runner.close();

        PullResult result = runner.run(TITLE, new PullBuilder(url("/feed")).build());

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.SKIPPED);
        assertThat(result.summary()).isEqualTo(
                "pull halo/leaderboard skipped: the pull engine is closed (gamewire is stopping)");
        assertThat(server.getRequestCount()).isZero();
        assertThat(runner.running(TITLE, "leaderboard")).isFalse();
    }
}

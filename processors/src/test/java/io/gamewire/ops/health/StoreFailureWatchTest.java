package io.gamewire.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFailureWatchTest {

    @TempDir
    Path dataDir;

    private final AtomicInteger stops = new AtomicInteger();
    private final AtomicReference<String> kvBroken = new AtomicReference<>();

    private StoreFailureWatch watch(Map<String, java.util.function.Supplier<String>> stores) {
        return new StoreFailureWatch(stores, dataDir, Duration.ofMillis(20), stops::incrementAndGet);
    }

    @Test
    void whileEveryStoreWorksNothingStops() {
        StoreFailureWatch watch = watch(Map.<String, java.util.function.Supplier<String>>of("KV store", kvBroken::get, "database", () -> null));
        watch.check();
        assertThat(watch.failure()).isNull();
        assertThat(stops).hasValue(0);
    }

    @Test
    void theFirstBrokenStoreStopsGamewireOnceAndTurnsTheLivenessCheckDown() throws Exception {
        StoreFailureWatch watch = watch(Map.<String, java.util.function.Supplier<String>>of("KV store", kvBroken::get));
        StoresHealthCheck health = new StoresHealthCheck(watch);
        health.setCamelContext(new DefaultCamelContext());
        assertThat(health.isLiveness()).as("a restart mends it").isTrue();
        assertThat(health.call().getState()).isEqualTo(HealthCheck.State.UP);

        kvBroken.set("the embedded KV store at kv/gamewire.mv.db closed itself after a failed write: disk full");
        watch.check();
        watch.check(); // asked again: still one stop

        assertThat(watch.failure()).isEqualTo(kvBroken.get());
        assertThat(stops).hasValue(1);
        HealthCheck.Result result = health.call();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(message -> assertThat(message).endsWith(kvBroken.get()));
    }

    @Test
    void aCheckThatThrowsHidesNoOtherStoreAndDoesNotEndTheWatch() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Map<String, java.util.function.Supplier<String>> stores = new LinkedHashMap<>();
        stores.put("database", () -> {
            throw new IllegalStateException("always failing");
        });
        stores.put("broker store", () -> {
            if (asked.incrementAndGet() == 1) {
                throw new IllegalStateException("not started yet");
            }
            return "the embedded AMQP broker's BDB store failed: Environment is null.";
        });
        StoreFailureWatch watch = watch(stores);
        watch.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> stops.get() == 1);
            assertThat(asked.get()).isGreaterThanOrEqualTo(2);
            assertThat(watch.failure()).endsWith("Environment is null.");
        } finally {
            watch.stop();
        }
    }

    @Test
    void aStopActionThatThrowsIsLoggedAndTheFailureStays() {
        StoreFailureWatch watch = new StoreFailureWatch(Map.<String, java.util.function.Supplier<String>>of("KV store", () -> "broken"), dataDir,
                Duration.ofMillis(20), () -> {
                    throw new IllegalStateException("cannot stop");
                });
        watch.check();
        assertThat(watch.failure()).isEqualTo("broken");
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatThrownBy(() -> new StoreFailureWatch(Map.of(), dataDir, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the interval must be positive, was PT0S");
    }
}

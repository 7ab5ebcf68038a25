package io.gamewire.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Which checks count for liveness ({@code /observe/health/live}) and which for readiness
 * ({@code /observe/health/ready}), and the two checks that exist for one of them: a backend outage
 * makes gamewire unready, never dead (a supervisor would restart every instance during a broker
 * outage); a deadlock and a broken store make it dead; a stop makes it unready, not dead, while it drains.
 */
class HealthKindsTest {

    @Test
    void aBackendOutageIsNotALivenessFailure() {
        BackendHealthCheck broker = new BackendHealthCheck("broker", () -> {
            throw new java.io.IOException("connection refused");
        });
        assertThat(broker.isLiveness()).isFalse();
        assertThat(broker.isReadiness()).isTrue();
        HealthCheck.Result down = broker.call();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValue("broker is down: connection refused");
    }

    @Test
    void theKvStoreAndTheCacheAreReportedButDoNotMakeAnInstanceUnready() throws Exception {
        BackendHealthCheck cache = BackendHealthCheck.reportOnly("cache", () -> {
            throw new java.io.IOException("memcached is gone");
        });
        assertThat(cache.isLiveness()).isFalse();
        assertThat(cache.isReadiness()).isFalse();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            org.apache.camel.health.HealthCheckRegistry.get(camel).register(cache);
            camel.start();
            // as the management server asks for /observe/health, /live and /ready
            assertThat(org.apache.camel.health.HealthCheckHelper.invoke(camel))
                    .anySatisfy(result -> assertThat(result.getCheck().getId()).isEqualTo("cache"))
                    .anySatisfy(result -> assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN));
            assertThat(org.apache.camel.health.HealthCheckHelper.invokeReadiness(camel))
                    .noneSatisfy(result -> assertThat(result.getCheck().getId()).isEqualTo("cache"));
            assertThat(org.apache.camel.health.HealthCheckHelper.invokeLiveness(camel))
                    .noneSatisfy(result -> assertThat(result.getCheck().getId()).isEqualTo("cache"));
        }
    }

    @Test
    void servingIsReadinessOnlyAndUpOnlyWhileStarted() throws Exception {
        HealthCheck serving = LifecycleHealthChecks.serving();
        assertThat(serving.isLiveness()).isFalse();
        assertThat(serving.isReadiness()).isTrue();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            ((org.apache.camel.CamelContextAware) serving).setCamelContext(camel);
            assertThat(serving.call().getState()).as("before the start").isEqualTo(HealthCheck.State.DOWN);
            camel.start();
            assertThat(serving.call().getState()).isEqualTo(HealthCheck.State.UP);
            camel.stop();
            assertThat(serving.call().getState()).isEqualTo(HealthCheck.State.DOWN);
        }
    }

    @Test
    void whileTheStopDrainsGamewireIsLiveButNotReady() throws Exception {
        HealthCheck serving = LifecycleHealthChecks.serving();
        HealthCheck lifecycle = LifecycleHealthChecks.lifecycle();
        assertThat(lifecycle.isLiveness()).isTrue();
        assertThat(lifecycle.isReadiness()).isFalse();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            ((org.apache.camel.CamelContextAware) serving).setCamelContext(camel);
            ((org.apache.camel.CamelContextAware) lifecycle).setCamelContext(camel);
            assertThat(lifecycle.call().getState()).as("not live before the start: a start-up probe waits")
                    .isEqualTo(HealthCheck.State.DOWN);
            CountDownLatch stopping = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // holds the stop where gamewire's GWP drain holds it: in a notifier of the stopping event
            camel.getManagementStrategy().addEventNotifier(new io.gamewire.camel.ContextStopping() {
                @Override
                protected void stopping() throws InterruptedException {
                    stopping.countDown();
                    release.await();
                }
            });
            camel.start();
            assertThat(lifecycle.call().getState()).isEqualTo(HealthCheck.State.UP);
            Thread stopper = new Thread(camel::stop);
            stopper.start();
            try {
                assertThat(stopping.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                HealthCheck.Result draining = serving.call();
                assertThat(draining.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(draining.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("draining")
                        .contains("another instance"));
                assertThat(lifecycle.call().getState()).as("live while draining").isEqualTo(HealthCheck.State.UP);
            } finally {
                release.countDown();
                stopper.join(10_000);
            }
            assertThat(lifecycle.call().getState()).as("stopped").isEqualTo(HealthCheck.State.DOWN);
        }
    }

    @Test
    void aDeadlockIsALivenessFailureNamingTheThreads() throws Exception {
        DeadlockHealthCheck deadlock = new DeadlockHealthCheck();
        assertThat(deadlock.isLiveness()).isTrue();
        assertThat(deadlock.call().getState()).isEqualTo(HealthCheck.State.UP);

        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread first = lockBoth("deadlock-test-1", a, b, bothHeld);
        Thread second = lockBoth("deadlock-test-2", b, a, bothHeld);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlock.call().getState() == HealthCheck.State.DOWN);
            assertThat(deadlock.call().getMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains("2 thread(s) deadlocked").contains("deadlock-test-1").contains("deadlock-test-2"));
        } finally {
            first.interrupt();
            second.interrupt();
            first.join(10_000);
            second.join(10_000);
        }
        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).isNull();
        assertThat(deadlock.call().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aBrokenStoreIsALivenessFailure() {
        StoreFailureWatch watch = new StoreFailureWatch(Map.of("KV store", () -> "closed after a failed write"),
                java.nio.file.Path.of("."), Duration.ofSeconds(1), () -> { });
        StoresHealthCheck stores = new StoresHealthCheck(watch);
        assertThat(stores.isLiveness()).isTrue();
        watch.check();
        assertThat(stores.call().getState()).isEqualTo(HealthCheck.State.DOWN);
    }

    /** A thread that takes {@code first}, waits until the other thread holds its first, then waits for {@code second}. */
    private static Thread lockBoth(String name, ReentrantLock first, ReentrantLock second, CountDownLatch bothHeld) {
        Thread thread = new Thread(() -> {
            first.lock();
            try {
                bothHeld.countDown();
                bothHeld.await();
                second.lockInterruptibly();
                second.unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                first.unlock();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

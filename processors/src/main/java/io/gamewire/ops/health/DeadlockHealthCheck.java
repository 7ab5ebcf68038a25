package io.gamewire.ops.health;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The {@code deadlock} check, liveness and readiness (both said here: an {@code AbstractHealthCheck}
 * is readiness only unless told): DOWN when threads of the JVM are deadlocked on monitors or locks. Such a process still answers its health endpoint (the HTTP server's own
 * threads are free) but the work those threads held never ends, and only a restart mends it, which
 * is what a liveness check is for. Backend outages are not liveness failures ({@link BackendHealthCheck}).
 */
public final class DeadlockHealthCheck extends AbstractHealthCheck {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public DeadlockHealthCheck() {
        super("gamewire", "deadlock");
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked == null || deadlocked.length == 0) {
            builder.up();
            return;
        }
        String names = Arrays.stream(threads.getThreadInfo(deadlocked))
                .filter(java.util.Objects::nonNull)
                .map(DeadlockHealthCheck::describe)
                .collect(Collectors.joining("; "));
        builder.down();
        builder.message(deadlocked.length + " thread(s) deadlocked, gamewire needs a restart: " + names);
    }

    private static String describe(ThreadInfo thread) {
        return "'" + thread.getThreadName() + "' waits for " + thread.getLockName() + " held by '"
                + thread.getLockOwnerName() + "'";
    }
}

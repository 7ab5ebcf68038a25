package io.gamewire.ops.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check of one backend (broker, database, KV store, cache): UP when its probe returns,
 * DOWN with the probe's error otherwise. {@code /observe/health} is UP only when all are.
 */
public final class BackendHealthCheck extends AbstractHealthCheck {

    /** Talks to the backend; throws when it cannot be reached. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;

    public BackendHealthCheck(String backend, Probe probe) {
        super("gamewire", backend);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        // a backend outage makes gamewire unready, not dead: restarting it would not help
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.check();
            builder.up();
        } catch (Exception e) {
            builder.down();
            builder.message(getId() + " is down: " + e.getMessage());
            builder.error(e);
        }
    }
}

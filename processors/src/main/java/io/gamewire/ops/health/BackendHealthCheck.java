package io.gamewire.ops.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of one backend (broker, database, KV store, cache, the title files' first load): UP when
 * its probe returns, DOWN with the probe's error otherwise. {@code /observe/health} is UP only when
 * all are. Never a liveness check. A readiness check ({@code /observe/health/ready}) for what an
 * instance cannot take traffic without; {@link #reportOnly} for a backend whose outage it rides
 * out (the KV store and the cache: events wait on the bus, reads fall back to the database), where
 * taking every instance out of its load balancer would turn a cache outage into a full one.
 */
public final class BackendHealthCheck extends AbstractHealthCheck {

    /** Talks to the backend; throws when it cannot be reached. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;
    private final boolean readiness;

    /** A readiness check. */
    public BackendHealthCheck(String backend, Probe probe) {
        this(backend, probe, true);
    }

    private BackendHealthCheck(String backend, Probe probe, boolean readiness) {
        super("gamewire", backend);
        this.probe = probe;
        this.readiness = readiness;
    }

    /** Shown on {@code /observe/health} only: neither liveness nor readiness. */
    public static BackendHealthCheck reportOnly(String backend, Probe probe) {
        return new BackendHealthCheck(backend, probe, false);
    }

    @Override
    public boolean isReadiness() {
        return readiness;
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

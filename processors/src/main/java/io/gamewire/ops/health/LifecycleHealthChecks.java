package io.gamewire.ops.health;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Where gamewire is in its life, as two checks in place of Camel's {@code context} check (which
 * {@code camel.health.exclude-pattern} turns off). Camel's check is DOWN for liveness and readiness
 * alike from the moment a stop begins; a supervisor that polls liveness (Kubernetes) could then kill
 * the process in the middle of its drain. So:
 * <ul>
 *   <li>{@code serving}, readiness only: UP only while Camel has fully started. DOWN while it
 *       starts, and from the moment a stop begins: the stop first drains (the GWP port answers what
 *       is in flight, up to {@code gamewire.tcp.drain-timeout-ms}; the HTTP API answers new
 *       requests 503) and only then closes its listeners, so a load balancer that polls
 *       {@code /observe/health/ready} takes the instance out while it drains, not after its ports
 *       closed.</li>
 *   <li>{@code lifecycle}, liveness only: UP once started, and while stopping (a stopping process is
 *       not wedged, and its drain must not be cut short). DOWN while starting, so that a start-up
 *       probe on {@code /observe/health/live} passes once gamewire runs, and once stopped, suspended
 *       or failed.</li>
 * </ul>
 */
public final class LifecycleHealthChecks {

    private LifecycleHealthChecks() {
    }

    /** The readiness check {@code serving}. */
    public static HealthCheck serving() {
        return new Check("serving", false, true) {
            @Override
            void report(ServiceStatus status, HealthCheckResultBuilder builder) {
                if (status == ServiceStatus.Started) {
                    builder.up();
                } else if (status.isStarting() || status.isInitializing() || status.isInitialized()) {
                    builder.down().message("gamewire is starting");
                } else {
                    builder.down().message("gamewire is stopping (" + status + "): draining what is in flight,"
                            + " then it closes its ports; send to another instance");
                }
            }
        };
    }

    /** The liveness check {@code lifecycle}. */
    public static HealthCheck lifecycle() {
        return new Check("lifecycle", true, false) {
            @Override
            void report(ServiceStatus status, HealthCheckResultBuilder builder) {
                if (status == ServiceStatus.Started || status == ServiceStatus.Stopping) {
                    builder.up();
                } else {
                    builder.down().message("Camel is " + status);
                }
            }
        };
    }

    private abstract static class Check extends AbstractHealthCheck {

        private final boolean liveness;
        private final boolean readiness;

        Check(String id, boolean liveness, boolean readiness) {
            super("gamewire", id);
            this.liveness = liveness;
            this.readiness = readiness;
        }

        @Override
        public boolean isLiveness() {
            return liveness;
        }

        @Override
        public boolean isReadiness() {
            return readiness;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            CamelContext camel = getCamelContext();
            // the status turns Stopping before Camel tells its notifiers (the GWP drain, the API's gate)
            report(camel == null ? ServiceStatus.Stopped : camel.getStatus(), builder);
            builder.detail("context.status", camel == null ? "none" : camel.getStatus().name());
        }

        abstract void report(ServiceStatus status, HealthCheckResultBuilder builder);
    }
}

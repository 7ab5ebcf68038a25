package io.gamewire.ops.health;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The {@code stores} check: DOWN once {@link StoreFailureWatch} found a store in the data folder
 * broken for good. Unlike a backend outage ({@link BackendHealthCheck}), this is a liveness
 * failure too: only a restart of the process mends it.
 */
public final class StoresHealthCheck extends AbstractHealthCheck {

    private final StoreFailureWatch watch;

    public StoresHealthCheck(StoreFailureWatch watch) {
        super("gamewire", "stores");
        this.watch = watch;
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
        String failure = watch.failure();
        if (failure == null) {
            builder.up();
        } else {
            builder.down();
            builder.message("a store broke for good, gamewire is stopping to be restarted: " + failure);
        }
    }
}

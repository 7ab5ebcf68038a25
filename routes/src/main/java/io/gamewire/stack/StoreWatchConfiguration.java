package io.gamewire.stack;

import io.gamewire.ops.health.StoreFailureWatch;
import io.gamewire.ops.health.StoresHealthCheck;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.sql.H2DatabaseCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The watch of the stores in the data folder ({@link StoreFailureWatch}): the embedded broker's
 * store, the embedded KV file and an H2 database in a file, those of them this stack has (none on
 * the prod profile, whose services mend themselves and are waited for). A broken one stops
 * gamewire through {@value #ON_BROKEN}, the action {@code GamewireApplication} binds. Health check:
 * {@code stores}.
 */
public class StoreWatchConfiguration extends AreaConfiguration {

    /**
     * The registry name of the {@link java.util.function.LongConsumer} that stops gamewire for a
     * broken store, given the seconds its graceful part may take.
     */
    public static final String ON_BROKEN = "storeBrokenAction";
    /**
     * The graceful part of that stop: this many seconds past the confirm timeout, so that requests
     * waiting on a confirm are answered (503, outcome unknown) before a forced stop interrupts them.
     */
    static final int GRACEFUL_MARGIN_S = 2;
    private static final String INTERVAL = "gamewire.stores.watch-interval";

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        Map<String, Supplier<String>> stores = new LinkedHashMap<>();
        EmbeddedBroker broker = camel.getRegistry().lookupByNameAndType(EmbeddedBrokerConfiguration.BEAN,
                EmbeddedBroker.class);
        if (broker != null) {
            stores.put("broker store", broker::brokenBy);
        }
        if (camel.getRegistry().lookupByName("kvStore") instanceof MvStoreKvStore kv) {
            stores.put("KV store", kv::brokenBy);
        }
        String dbUrl = settings.storage().dbUrl();
        if (H2DatabaseCheck.isH2File(dbUrl)) {
            stores.put("database", new H2DatabaseCheck(bean(camel, "dataSource", DataSource.class), dbUrl)::brokenBy);
        }
        if (stores.isEmpty()) {
            return;
        }
        java.util.function.LongConsumer stop = bean(camel, ON_BROKEN, java.util.function.LongConsumer.class);
        long gracefulSeconds = settings.bus().confirmTimeoutMs() / 1000 + GRACEFUL_MARGIN_S;
        Runnable onBroken = () -> stop.accept(gracefulSeconds);
        java.time.Duration interval = settings(camel).duration(INTERVAL);
        if (interval.isZero()) {
            throw new io.gamewire.config.StartupException("property " + INTERVAL + " must be more than 0, was 0");
        }
        StoreFailureWatch watch = new StoreFailureWatch(stores, settings.storage().dataDir(), interval, onBroken);
        camel.addService(watch, true, true);
        HealthCheckRegistry.get(camel).register(new StoresHealthCheck(watch));
    }
}

package io.gamewire.stack;

import io.gamewire.sinks.sql.PooledDataSources;
import org.apache.camel.CamelContext;

/**
 * With {@code gamewire.broker.embedded}, starts the embedded broker ({@code embeddedBroker}) on a
 * thread of its own and returns at once: the broker comes up while {@link StorageConfiguration}
 * opens and migrates the database, and {@link BusConfiguration}, the first area that talks to it,
 * waits for it. Stopped last: added before the stores, Camel stops it after them.
 *
 * <p>The broker starts in the foreground instead when its store opens through JDBC (Derby) and the
 * database is not H2: such a pool sets {@code DriverManager}'s JVM-wide login timeout, which a JDBC
 * store reads while it opens ({@link EmbeddedBroker}), and the two must not overlap. The default BDB
 * store does not use JDBC, so it always starts in the background.
 */
public class EmbeddedBrokerConfiguration extends AreaConfiguration {

    /** The registry name of the {@link EmbeddedBroker}. */
    static final String BEAN = "embeddedBroker";

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        BusSettings bus = settings.bus();
        if (!bus.embedded()) {
            return;
        }
        PortCheck.requireFree("Embedded AMQP broker", "127.0.0.1", bus.embeddedPort(), "gamewire.broker.embedded.port");
        java.nio.file.Path brokerDir = settings.storage().dataDir().resolve("broker");
        EmbeddedStore store = EmbeddedStore.choose(bus.embeddedStore(), brokerDir);
        EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", bus.embeddedPort(), brokerDir, bus.username(),
                bus.password(), store).minFreeDisk(bus.embeddedMinFreeDiskMb() * 1024L * 1024L);
        // stop() waits for a start under way; Camel stops what was added first last
        closeOnStop(camel, "embedded AMQP broker", broker::stop);
        if (!broker.usesDriverManager() || PooledDataSources.leavesLoginTimeoutAlone(settings.storage().dbUrl())) {
            broker.startInBackground();
        } else {
            broker.start();
        }
        camel.getRegistry().bind(BEAN, broker);
    }
}

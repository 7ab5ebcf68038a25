package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.data.ConsoleDataSource;
import io.gamewire.admin.data.ConsoleSender;
import io.gamewire.admin.data.DataAdmin;
import io.gamewire.admin.data.EventInspector;
import io.gamewire.admin.data.RouteTable;
import io.gamewire.admin.data.SqlConsole;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The data endpoints of the consoles ({@link DataAdmin}, package {@code io.gamewire.admin.data}):
 * {@code adminTitles}, {@code adminRoutes}, {@code adminEvent}, {@code adminCompare},
 * {@code adminKv}, {@code adminCache}, {@code adminSql} (read-only, {@code gamewire.console.sql-*}; on
 * its own database account, {@link ConsoleDataSource}),
 * {@code adminSend} and {@code adminReplay} (to {@code gamewire.console.staging-environment} unless
 * told otherwise).
 */
public class AdminDataConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        AreaSettings.Console console = settings.console();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        DataSource dataSource = bean(camel, "dataSource", DataSource.class);
        KvStore kv = bean(camel, "kvStore", KvStore.class);
        EventCache cache = bean(camel, "eventCache", EventCache.class);
        PayloadRedaction redaction = bean(camel, "payloadRedaction", PayloadRedaction.class);
        EventInspector inspector = new EventInspector(json, bean(camel, "sqlEventStore", SqlEventStore.class),
                new TitleSinks(json, titles, kv, cache), dataSource, kv, cache, redaction, titles);
        ConsoleSender sender = new ConsoleSender(titles, new JsonPayloads(json),
                bean(camel, "envelopePublisher", EnvelopePublisher.class), console.stagingEnvironment(),
                settings.bus().confirmTimeoutMs());
        StorageSettings storage = settings.storage();
        ConsoleDataSource sqlAccount = ConsoleDataSource.open(dataSource, storage.dbUrl(), storage.dbUser(),
                console.sqlUser(), console.sqlPassword(), storage.dbTimeoutMs());
        closeOnStop(camel, "SQL console pool", sqlAccount::close);
        DataAdmin data = new DataAdmin(json, titles, new RouteTable(json, camel, MetricsRegistry.of(camel)), inspector,
                kv, cache, new SqlConsole(sqlAccount.dataSource(), console.sqlMaxRows(), console.sqlTimeoutSeconds(), titles,
                redaction, json),
                sender, redaction);
        Registry registry = camel.getRegistry();
        registry.bind("adminTitles", data.titles());
        registry.bind("adminRoutes", data.routes());
        registry.bind("adminEvent", data.event());
        registry.bind("adminCompare", data.compare());
        registry.bind("adminKv", data.kv());
        registry.bind("adminCache", data.cache());
        registry.bind("adminSql", data.sql());
        registry.bind("adminSend", data.send());
        registry.bind("adminReplay", data.replay());
    }
}

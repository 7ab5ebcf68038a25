package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.AdminAuthorization;
import io.gamewire.admin.DeadLetterAdmin;
import io.gamewire.admin.DeadLetterQueues;
import io.gamewire.admin.PullAdmin;
import io.gamewire.admin.data.ConsoleSender;
import io.gamewire.admin.data.DataAdmin;
import io.gamewire.admin.data.EventInspector;
import io.gamewire.admin.data.RouteTable;
import io.gamewire.admin.data.SqlConsole;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.deploy.PullDeployer;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.pulls.PullRunner;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.titles.TitleRegistry;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The admin API's steps: {@code adminAuthorization} (the bearer token, the first step of every
 * admin route), {@code deadLetterList} and {@code deadLetterReplay}, {@code pullList},
 * {@code pullRunStart} and {@code pullRunStatus}; the data endpoints of the consoles
 * ({@link DataAdmin}): {@code adminTitles}, {@code adminRoutes}, {@code adminEvent},
 * {@code adminCompare}, {@code adminKv}, {@code adminCache}, {@code adminSql}, {@code adminSend},
 * {@code adminReplay}.
 */
public class AdminConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) {
        AreaSettings settings = areaSettings(camel);
        Registry registry = camel.getRegistry();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        registry.bind("adminAuthorization", new AdminAuthorization(settings.adminToken()));

        DeadLetterAdmin deadLetters = new DeadLetterAdmin(json, titles, new DeadLetterQueues(
                bean(camel, "connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory(),
                bean(camel, "envelopePublisher", EnvelopePublisher.class).publisher(),
                settings.bus().exchange(), settings.bus().confirmTimeoutMs()));
        registry.bind("deadLetterList", deadLetters.list());
        registry.bind("deadLetterReplay", deadLetters.replay());

        PullAdmin pulls = new PullAdmin(json, titles, bean(camel, "manualPullRuns", ManualPullRuns.class),
                bean(camel, "pullRunner", PullRunner.class),
                (title, pull) -> camel.getRoute(PullDeployer.routeId(title, pull)) != null);
        registry.bind("pullList", pulls.list());
        registry.bind("pullRunStart", pulls.startRun());
        registry.bind("pullRunStatus", pulls.runStatus());

        bindDataSteps(camel, settings, json, titles);
    }

    /** The data endpoints of the consoles (io.gamewire.admin.data), with their gamewire.console.* settings. */
    private static void bindDataSteps(CamelContext camel, AreaSettings settings, ObjectMapper json, TitleRegistry titles) {
        ConsoleSettings console = ConsoleSettings.from(settings(camel));
        DataSource dataSource = bean(camel, "dataSource", DataSource.class);
        KvStore kv = bean(camel, "kvStore", KvStore.class);
        EventCache cache = bean(camel, "eventCache", EventCache.class);
        EventInspector inspector = new EventInspector(json, bean(camel, "sqlEventStore", SqlEventStore.class),
                new TitleSinks(json, titles, kv, cache), dataSource, kv, cache);
        ConsoleSender sender = new ConsoleSender(titles, new JsonPayloads(json),
                bean(camel, "envelopePublisher", EnvelopePublisher.class), console.stagingEnvironment(),
                settings.bus().confirmTimeoutMs());
        DataAdmin data = new DataAdmin(json, titles, new RouteTable(json, camel, MetricsRegistry.of(camel)), inspector,
                kv, cache, new SqlConsole(dataSource, console.sqlMaxRows(), console.sqlTimeoutSeconds()), sender);
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

package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.camel.BeforeTheStopIsForced;
import io.gamewire.camel.NamedThreads;
import io.gamewire.ingest.JsonPayloads;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.pulls.BusPullPublisher;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.pulls.PullRunner;
import io.gamewire.pulls.QuartzJobStore;
import io.gamewire.pulls.ScheduledPullRun;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.TitleRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;

/**
 * The pull engine: Quartz for the schedules (in memory, or clustered in the database so that one
 * instance fires each run), {@code pullRunner} (runs a pull: pages, items published with confirms,
 * watermark, breaker), {@code scheduledPullRun} (the step of the route template {@code pull}) and
 * {@code manualPullRuns} (runs started by the admin API or {@code gamewire pull}, on every
 * instance, scheduling or not).
 */
public class PullsConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        configureQuartz(camel, settings);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        PullRunner runner = new PullRunner(
                new BusPullPublisher(bean(camel, "envelopePublisher", EnvelopePublisher.class), () -> titles,
                        new JsonPayloads(bean(camel, "json", ObjectMapper.class)),
                        settings.bus().deadLetterExchange()),
                bean(camel, "kvStore", KvStore.class), MetricsRegistry.of(camel), NamedThreads.of(camel));
        // a run still going when the stop is about to be forced is interrupted then, so that its
        // exchange ends before the routes are forced down (after, Camel fails it with an error) and
        // Quartz's shutdown, which waits for its jobs, is not held by it (added after
        // IngestConfiguration's TcpDrain). With a shutdown timeout of 0 nothing is forced: the routes'
        // stop waits for the runs. Closed after the manual runs stop (added later, so stopped
        // earlier): runs interrupted (again), the body watchdog stopped
        BeforeTheStopIsForced.run(camel, runner::interruptRuns);
        closeOnStop(camel, "pull engine", runner::close);
        camel.getRegistry().bind("pullRunner", runner);
        camel.getRegistry().bind("scheduledPullRun", new ScheduledPullRun(runner::run, titles::titles));
        ManualPullRuns manualRuns = new ManualPullRuns(runner, titles::titles, settings.pulls().threads(),
                Clock.systemUTC(), NamedThreads.of(camel));
        camel.addService(manualRuns, true, true);
        camel.getRegistry().bind("manualPullRuns", manualRuns);
    }

    /**
     * Quartz in memory, or clustered in the database (its tables made when missing). Set before any
     * pull's Quartz endpoint exists, since the component makes its scheduler then.
     */
    private static void configureQuartz(CamelContext camel, AreaSettings settings) throws Exception {
        AreaSettings.Pulls pulls = settings.pulls();
        if ("jdbc".equals(pulls.jobStore())) {
            QuartzJobStore.createTables(bean(camel, "dataSource", DataSource.class));
        }
        StorageSettings db = settings.storage();
        Properties properties = QuartzJobStore.properties(pulls.jobStore(), pulls.threads(), db.dbUrl(), db.dbUser(),
                db.dbPassword(), pulls.clusterCheckinMs());
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(new HashMap<>(properties));
        // left at Quartz's shutdown(true): the stop waits for running jobs and releases the triggers
        // it holds; the jdbc store gives up failing writes 10 s into the stop (JdbcJobStore), so a
        // lost database cannot hold the stop (PullStopIT)
    }
}

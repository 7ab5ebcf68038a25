package io.gamewire.stack;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.capacity.CompressedClock;
import io.gamewire.capacity.archive.RrdUsageArchive;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.usage.UsageCounterTable;
import io.gamewire.capacity.usage.UsageCounters;
import io.gamewire.capacity.usage.UsageSampler;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.monitor.QueueWatch;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage archives (issue 16), with {@code gamewire.capacity.enabled}: {@code usageArchive}
 * ({@link RrdUsageArchive}: files under {@code <data-dir>/capacity/}, or SQL tables with
 * {@code gamewire.capacity.archive=sql}); {@code usageCounters}, this instance's counts of the events
 * its publisher had confirmed on the events exchange (requests, which carry a reply-to, are not
 * counted); {@code capacityCount}, the step of route {@code capacity-count} that writes them to
 * {@code capacity_counters} on every instance; {@code usageSampler} and {@code capacitySample}, the
 * step of route {@code capacity-sample}, a clustered Quartz job in the pulls' scheduler, so one
 * instance samples. A service's consumers are the broker's count for its queue, read by the queue
 * watch (across the cluster; {@code NaN} with the bus monitor off). The sampler's and the planner's
 * clock, bound as {@code capacityClock}, is the system's, or a {@link CompressedClock} with
 * {@code gamewire.capacity.clock-speed} (demonstrations, the compressed-clock proof; at a speed above
 * 3 the Quartz job's 10 real seconds are more than the archive's heartbeat, so such a run drives
 * {@code usageSampler} itself, as {@code CompressedDaysIT} does).
 */
public class CapacityConfiguration extends AreaConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityConfiguration.class);

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = settings(camel);
        Clock clock = clock(settings);
        camel.getRegistry().bind("capacityClock", clock);
        if (!settings.bool("gamewire.capacity.enabled")) {
            return;
        }
        String store = settings.choice("gamewire.capacity.archive", "files", "sql");
        // a placeholder of route capacity-count: checked here, so a bad value names its key at start
        int countersIntervalMs = settings.integer("gamewire.capacity.counters-interval-ms");
        if (countersIntervalMs < 100 || countersIntervalMs > UsageArchive.STEP.toMillis()) {
            throw new StartupException("gamewire.capacity.counters-interval-ms must be between 100 and "
                    + UsageArchive.STEP.toMillis() + " (one step), was " + countersIntervalMs);
        }
        DataSource dataSource = bean(camel, "dataSource", DataSource.class);
        UsageArchive archive = "sql".equals(store) ? RrdUsageArchive.sql(dataSource)
                : RrdUsageArchive.files(areaSettings(camel).storage().dataDir().resolve("capacity"));
        Registry registry = camel.getRegistry();
        registry.bind("usageArchive", archive);
        // closed after the sampling route has stopped (added first, so stopped last)
        closeOnStop(camel, "usage archive", () -> {
            try {
                archive.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        UsageCounters counters = new UsageCounters();
        String events = areaSettings(camel).bus().exchange();
        bean(camel, "envelopePublisher", EnvelopePublisher.class).publisher().onConfirmed(
                (exchange, routingKey, properties, bytes) -> {
                    if (exchange.equals(events) && properties.getReplyTo() == null) {
                        counters.count(routingKey);
                    }
                });
        registry.bind("usageCounters", counters);
        UsageCounterTable table = new UsageCounterTable(dataSource);
        String instanceId = instanceId();
        LOG.info("Usage counters of this instance are written as '{}' ({})", instanceId, store);
        Runnable publish = () -> {
            try {
                table.publish(instanceId, counters.totals(), clock.millis());
            } catch (SQLException e) {
                // the totals are cumulative: the next write carries what this one missed
                LOG.warn("Usage counters not written to capacity_counters: {}", e.getMessage());
            }
        };
        registry.bind("capacityCount", (Processor) exchange -> publish.run());
        // the last counts of this instance, written once more on the way out
        closeOnStop(camel, "usage counters", publish);

        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        OpsConfiguration.Declared<List<String>> inForce = new OpsConfiguration.Declared<>(titles, all -> {
            List<String> series = new ArrayList<>(OpsConfiguration.serviceQueues(all));
            series.addAll(OpsConfiguration.routingKeys(all));
            return List.copyOf(series);
        });
        UsageSampler sampler = new UsageSampler(archive, table, inForce, brokerConsumers(camel), clock);
        registry.bind("usageSampler", sampler);
        registry.bind("capacitySample", (Processor) exchange -> sampler.sample());
    }

    /**
     * The clock of the sampler and the planner: the system's (UTC), or with
     * {@code gamewire.capacity.clock-speed} above 1 a {@link CompressedClock} from
     * {@code gamewire.capacity.clock-origin} (an ISO instant; now when empty), for demonstrations and
     * the end-to-end proof.
     */
    static Clock clock(Settings settings) {
        int speed = settings.integer("gamewire.capacity.clock-speed");
        String origin = settings.optional("gamewire.capacity.clock-origin").filter(o -> !o.isBlank()).orElse(null);
        if (speed == 1 && origin == null) {
            return Clock.systemUTC();
        }
        try {
            return new CompressedClock(origin == null ? Instant.now() : Instant.parse(origin.trim()), speed);
        } catch (DateTimeParseException e) {
            throw new StartupException("gamewire.capacity.clock-origin must be an ISO instant such as"
                    + " 2026-12-01T12:00:00Z, was '" + origin + "'");
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    /** The consumers of a service's queue as the queue watch last saw them, or NaN. */
    private static ToDoubleFunction<String> brokerConsumers(CamelContext camel) {
        QueueWatch queues = camel.getRegistry().lookupByNameAndType("queueWatch", QueueWatch.class);
        if (queues == null) {
            return series -> Double.NaN;
        }
        return series -> queues.latest(series).map(figures -> (double) figures.consumers()).orElse(Double.NaN);
    }

    /**
     * New at each start: a restarted instance begins a new row from 0 instead of lowering the sum
     * (its old row stays until pruned).
     */
    private static String instanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "gamewire");
        String id = host.toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }
}

package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.StatsAdmin;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.camel.NamedThreads;
import io.gamewire.ingest.BusGateway;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.ManagementApiProbe;
import io.gamewire.monitor.PassiveDeclareProbe;
import io.gamewire.monitor.QueueProbe;
import io.gamewire.monitor.QueueWatch;
import io.gamewire.monitor.RoutingKeyLabels;
import io.gamewire.monitor.TrafficMeters;
import io.gamewire.monitor.TrafficRecorder;
import io.gamewire.monitor.TrafficStats;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.routing.TopicPattern;
import io.gamewire.sinks.SinkBatcher;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Operations: {@code busMonitor}, this instance's one listener on the bus, which the live tails
 * subscribe to; with {@code gamewire.ops.monitor.enabled} it counts messages and bytes per routing
 * key on {@code /observe/metrics}: dead letters from its queue bound to {@code #} on the dead-letter
 * exchange, events as the publisher's confirms arrive ({@code gamewire.ops.monitor.scope=instance})
 * or from its queue bound to {@code #} on the events exchange too ({@code bus})
 * (labels: the routing keys the titles in force declare, at most {@code gamewire.ops.max-routing-keys},
 * the rest as {@code other}); {@code trafficStats}, the windowed figures fed by the monitor, by the
 * translators' refusals ({@code busGateway}) and by the events the sinks stored ({@code sinkBatcher});
 * {@code queueWatch}, polling the service queues; and the admin steps {@code trafficStatsQuery}
 * and {@code queueQuery}, which answer 503 when the monitor is off.
 * Camel's own tools are in {@link CamelToolsConfiguration}.
 */
public class OpsConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        Registry registry = camel.getRegistry();
        MeterRegistry meters = MetricsRegistry.of(camel);
        // the one listener on the bus, there for the live tails even when nothing is counted
        BusMonitor monitor = new BusMonitor(
                bean(camel, "connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory(),
                settings.bus().exchange(), settings.bus().deadLetterExchange(), NamedThreads.of(camel));
        registry.bind("busMonitor", monitor);
        // subscribed before the start, so bound as the queue is made
        TrafficStats stats = settings.ops().monitor() ? countTraffic(camel, settings, monitor, meters) : null;
        monitor.start();
        closeOnStop(camel, "bus monitor", monitor::close);
        if (stats == null) {
            registry.bind("trafficStatsQuery", StatsAdmin.monitorOff());
            registry.bind("queueQuery", StatsAdmin.monitorOff());
            return;
        }
        Gauge.builder("gamewire.bus.monitor.up", monitor, m -> m.isListening() ? 1 : 0)
                .description("1 while this instance's bus monitor is connected").register(meters);
        registry.bind("trafficStats", stats);

        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        QueueWatch queues = new QueueWatch(queueProbe(camel, settings, monitor),
                new Declared<>(titles, OpsConfiguration::serviceQueues), meters, NamedThreads.of(camel));
        queues.start(settings.queuePolling().intervalMs());
        // added after the monitor, so closed before its connection
        closeOnStop(camel, "queue watch", queues::close);
        registry.bind("queueWatch", queues);

        StatsAdmin admin = new StatsAdmin(bean(camel, "json", ObjectMapper.class), stats, queues);
        registry.bind("trafficStatsQuery", admin.stats());
        registry.bind("queueQuery", admin.queues());
    }

    /**
     * The traffic counting: refusals from the translators, delays from the sinks, and messages per
     * routing key as {@code gamewire.ops.monitor.scope} says, subscribed to {@code monitor} (not
     * started yet).
     */
    private static TrafficStats countTraffic(CamelContext camel, AreaSettings settings, BusMonitor monitor,
                                             MeterRegistry meters) throws Exception {
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        RoutingKeyLabels labels = new RoutingKeyLabels(new Declared<>(titles, OpsConfiguration::routingKeys),
                settings.ops().maxRoutingKeys());
        TrafficStats stats = new TrafficStats(labels, System::currentTimeMillis);
        TrafficRecorder recorder = new TrafficRecorder(stats, new TrafficMeters(meters, labels));
        bean(camel, "busGateway", BusGateway.class).onRefusal(recorder::refused);
        bean(camel, "sinkBatcher", SinkBatcher.class).onStored(recorder::stored);
        if (settings.ops().scope() == AreaSettings.MonitorScope.BUS) {
            monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.BOTH, recorder::delivered);
        } else {
            // dead letters from the listener (the broker makes most of them, from consumers' rejects),
            // events as this instance's publisher has them confirmed: no second delivery of each
            String events = settings.bus().exchange();
            monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.DEAD_LETTERS, recorder::delivered);
            bean(camel, "envelopePublisher", EnvelopePublisher.class).publisher().onConfirmed(
                    (exchange, routingKey, properties, bytes) -> {
                        if (exchange.equals(events)) {
                            recorder.published(routingKey, properties, bytes);
                        }
                    });
        }
        return stats;
    }

    /** The management API when its URL is set, else passive declares on the monitor's connection. */
    private static QueueProbe queueProbe(CamelContext camel, AreaSettings settings, BusMonitor monitor) {
        AreaSettings.QueuePolling polling = settings.queuePolling();
        if (polling.managementUrl().isEmpty()) {
            return new PassiveDeclareProbe(monitor::openChannel);
        }
        return new ManagementApiProbe(bean(camel, "json", ObjectMapper.class), polling.managementUrl(),
                settings.bus().virtualHost(), polling.managementUser(), polling.managementPassword(),
                polling.managementTls());
    }

    /**
     * Something made from the titles in force, made again only when a reload put other titles in
     * force: the monitor asks for every message whose key has no label, so a stream of undeclared
     * keys must not rebuild the set each time.
     */
    static final class Declared<T> implements Supplier<T> {

        private final TitleRegistry titles;
        private final Function<Map<String, TitleDefinition>, T> make;
        private volatile Map<String, TitleDefinition> madeFrom;
        private volatile T made;

        Declared(TitleRegistry titles, Function<Map<String, TitleDefinition>, T> make) {
            this.titles = titles;
            this.make = make;
        }

        @Override
        public T get() {
            // the registry hands out one immutable map per reload: the same map, the same result
            Map<String, TitleDefinition> now = titles.titles();
            if (now != madeFrom || made == null) {
                made = make.apply(now);
                madeFrom = now;
            }
            return made;
        }
    }

    static Set<String> routingKeys(Map<String, TitleDefinition> titles) {
        Set<String> keys = new HashSet<>();
        for (TitleDefinition title : titles.values()) {
            for (String env : title.environments()) {
                for (ServiceDefinition service : title.services().values()) {
                    for (String command : service.commands().keySet()) {
                        keys.add(title.title() + "." + env + "." + service.name() + "." + command);
                    }
                }
            }
        }
        return Set.copyOf(keys);
    }

    static List<String> serviceQueues(Map<String, TitleDefinition> titles) {
        List<String> queues = new ArrayList<>();
        titles.values().forEach(title -> queues.addAll(title.serviceKeys()));
        return List.copyOf(queues);
    }
}

package io.gamewire.stack;

import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.RoutingKeyLabels;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Operations: with {@code gamewire.ops.monitor.enabled}, {@code busMonitor}, this instance's
 * listener on the bus, counting messages and bytes per routing key on {@code /observe/metrics}
 * (labels: the routing keys the titles in force declare, at most {@code gamewire.ops.max-routing-keys},
 * the rest as {@code other}).
 */
public class OpsConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        if (!settings.ops().monitor()) {
            return;
        }
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        BusMonitor monitor = new BusMonitor(
                bean(camel, "connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory(),
                settings.bus().exchange(), settings.bus().deadLetterExchange(),
                new RoutingKeyLabels(new DeclaredRoutingKeys(titles), settings.ops().maxRoutingKeys()),
                MetricsRegistry.of(camel));
        monitor.start();
        closeOnStop(camel, "bus monitor", monitor::close);
        camel.getRegistry().bind("busMonitor", monitor);
    }

    /**
     * Every title.env.service.command of the titles in force, made again only when a reload put
     * other titles in force: the monitor asks for every message whose key has no label, so a
     * stream of undeclared keys must not rebuild the set each time.
     */
    private static final class DeclaredRoutingKeys implements Supplier<Set<String>> {

        private final TitleRegistry titles;
        private volatile Map<String, TitleDefinition> madeFrom;
        private volatile Set<String> keys = Set.of();

        DeclaredRoutingKeys(TitleRegistry titles) {
            this.titles = titles;
        }

        @Override
        public Set<String> get() {
            // the registry hands out one immutable map per reload: the same map, the same keys
            Map<String, TitleDefinition> now = titles.titles();
            if (now != madeFrom) {
                keys = routingKeys(now);
                madeFrom = now;
            }
            return keys;
        }
    }

    private static Set<String> routingKeys(Map<String, TitleDefinition> titles) {
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
}

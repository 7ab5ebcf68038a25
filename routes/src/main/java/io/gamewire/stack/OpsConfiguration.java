package io.gamewire.stack;

import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.RoutingKeyLabels;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.HashSet;
import java.util.Set;
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
                new RoutingKeyLabels(() -> declaredRoutingKeys(titles), settings.ops().maxRoutingKeys()),
                MetricsRegistry.of(camel));
        monitor.start();
        closeOnStop(camel, "bus monitor", monitor::close);
        camel.getRegistry().bind("busMonitor", monitor);
    }

    /** Every title.env.service.command of the titles in force. */
    private static Set<String> declaredRoutingKeys(TitleRegistry titles) {
        Set<String> keys = new HashSet<>();
        for (TitleDefinition title : titles.titles().values()) {
            for (String env : title.environments()) {
                for (ServiceDefinition service : title.services().values()) {
                    for (String command : service.commands().keySet()) {
                        keys.add(title.title() + "." + env + "." + service.name() + "." + command);
                    }
                }
            }
        }
        return keys;
    }
}

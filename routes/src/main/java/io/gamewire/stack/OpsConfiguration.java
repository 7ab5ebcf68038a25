package io.gamewire.stack;

import io.gamewire.monitor.BusMonitor;
import io.gamewire.ops.jolokia.JolokiaRequests;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.spi.CliConnectorFactory;
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
 * the rest as {@code other}); Camel's own tools, the CLI connector for Camel JBang and Jolokia for
 * Hawtio ({@link #camelTools}).
 */
public class OpsConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        camelTools(camel, settings.opsTools());
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
     * Camel's own tools. With {@code gamewire.ops.camel-cli.enabled}, the CLI connector of Camel
     * JBang, started once Camel has fully started; it writes {@code ~/.camel/<pid>-status.json} every second and
     * obeys {@code ~/.camel/<pid>-action.json}. With {@code gamewire.ops.jolokia.enabled}, Camel's
     * Jolokia plugin, started with the context, and its requests as the step {@code jolokiaRequests}
     * (route {@code admin-jolokia}, behind the admin token).
     */
    private static void camelTools(CamelContext camel, AreaSettings.OpsTools tools) throws Exception {
        // bound in any case: with the connector's jar on the classpath the context would otherwise make
        // an enabled one of its own; disabled, so that the context does not start it during its start
        DefaultCliConnectorFactory cli = new DefaultCliConnectorFactory();
        cli.setEnabled(false);
        cli.setRuntime("Camel Main");
        cli.setRuntimeVersion(camel.getVersion());
        // by name: io.gamewire depends on this package, not the other way round (ArchitectureTest, no cycles)
        cli.setRuntimeStartClass("io.gamewire.GamewireMain");
        camel.getRegistry().bind("cliConnectorFactory", CliConnectorFactory.class, cli);
        if (tools.camelCli()) {
            // started once Camel has fully started: the connector's first status report runs at once on
            // its own thread and reads Camel's dev consoles, whose registry, still starting, then fails
            // the start (ConcurrentModificationException in DefaultDevConsoleRegistry.doStart)
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    context.addService(cli.createConnector(), true, true);
                }
            });
        }
        if (tools.jolokia()) {
            DefaultJolokiaPlatformHttpPlugin jolokia = new DefaultJolokiaPlatformHttpPlugin();
            jolokia.setCamelContext(camel);
            camel.addService(jolokia, true, true);
            camel.getRegistry().bind("jolokiaRequests", new JolokiaRequests(jolokia));
        }
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

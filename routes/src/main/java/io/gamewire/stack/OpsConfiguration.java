package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.TailAdmin;
import io.gamewire.bus.BusMessages;
import io.gamewire.config.StartupException;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.tail.TailEvents;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.routes.TailSseEndpoint;
import io.gamewire.titles.PayloadRedaction;
import io.micrometer.core.instrument.Gauge;
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
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.StartupListener;
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
        configureTails(camel, settings);
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
     * The live tail: {@code tails} (at most {@code gamewire.ops.max-tails} open, each with its own
     * connection from gamewire's connection factory, so its own vhost), the step {@code tailOpen}
     * of the route {@code admin-tail}, the gauge {@code gamewire_tails_open}, and, once the HTTP
     * server runs, {@code GET /v1/admin/tail} on its router ({@link TailSseEndpoint}). Open tails
     * are closed when gamewire stops, which ends their streams.
     */
    private static void configureTails(CamelContext camel, AreaSettings settings) throws Exception {
        PayloadRedaction redaction = new PayloadRedaction(bean(camel, "titleRegistry", TitleRegistry.class));
        Tails tails = new Tails(
                bean(camel, "connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory(),
                settings.bus().exchange(), settings.bus().deadLetterExchange(),
                new TailEvents(bean(camel, "json", ObjectMapper.class),
                        new EnvelopeCodec(BusMessages.busLimits(settings.bus().clientLimits())), redaction),
                settings.tails());
        closeOnStop(camel, "live tails", tails::close);
        camel.getRegistry().bind("payloadRedaction", redaction);
        camel.getRegistry().bind("tails", tails);
        camel.getRegistry().bind("tailOpen", new TailAdmin(tails).open());
        Gauge.builder("gamewire.tails.open", tails, Tails::openCount)
                .description("live tails open on this instance (GET /v1/admin/tail)").register(MetricsRegistry.of(camel));
        int port = settings.listen().httpPort();
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                        VertxPlatformHttpRouter.getRouterNameFromPort(port));
                if (router == null) {
                    throw new StartupException("no HTTP server on port " + port + " to serve GET "
                            + TailSseEndpoint.PATH + " (camel.server.enabled must be true)");
                }
                TailSseEndpoint.register(context, router, router.vertx());
            }
        });
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

package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.admin.TailAdmin;
import io.gamewire.bus.BusMessages;
import io.gamewire.config.StartupException;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.tail.TailEvents;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.routes.TailSseEndpoint;
import io.gamewire.titles.PayloadRedaction;
import io.micrometer.core.instrument.Gauge;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The live tail: {@code tails} (at most {@code gamewire.ops.max-tails} open, each a subscription to
 * the {@code busMonitor} of {@link OpsConfiguration}, whose connection is on gamewire's vhost), the step {@code tailOpen}
 * of the route {@code admin-tail}, the gauge {@code gamewire_tails_open}, and, once the HTTP
 * server runs, {@code GET /v1/admin/tail} on its router ({@link TailSseEndpoint}). Open tails
 * are closed when gamewire stops, which ends their streams.
 */
public class TailConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        PayloadRedaction redaction = bean(camel, "payloadRedaction", PayloadRedaction.class);
        Tails tails = new Tails(bean(camel, "busMonitor", BusMonitor.class),
                new TailEvents(bean(camel, "json", ObjectMapper.class),
                        new EnvelopeCodec(BusMessages.busLimits(settings.bus().clientLimits())), redaction),
                settings.tails());
        closeOnStop(camel, "live tails", tails::close);
        camel.getRegistry().bind("tails", tails);
        camel.getRegistry().bind("tailOpen", new TailAdmin(tails).open());
        Gauge.builder("gamewire.tails.open", tails, Tails::openCount)
                .description("live tails open on this instance (GET /v1/admin/tail)").register(MetricsRegistry.of(camel));
        int port = settings.listen().httpPort();
        onFullyStarted(camel, context -> {
            VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                    VertxPlatformHttpRouter.getRouterNameFromPort(port));
            if (router == null) {
                throw new StartupException("no HTTP server on port " + port + " to serve GET "
                        + TailSseEndpoint.PATH + " (camel.server.enabled must be true)");
            }
            TailSseEndpoint.register(context, router, router.vertx());
        });
    }
}

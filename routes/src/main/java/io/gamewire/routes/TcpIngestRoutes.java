package io.gamewire.routes;

import io.gamewire.ingest.tcp.GwpServerInitializer;
import io.gamewire.ingest.tcp.TcpConnections;
import io.gamewire.ingest.tcp.TcpDrain;
import io.gamewire.ingest.tcp.TcpFrameProcessor;
import io.gamewire.ingest.tcp.TcpSettings;

import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.ingest.BusGateway;
import io.gamewire.config.Settings;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleWatcher;
import org.apache.camel.builder.RouteBuilder;

/**
 * The GWP TCP translator: a camel-netty consumer on {@code gamewire.tcp.host:port} whose pipeline
 * is {@link GwpServerInitializer}'s. Every EVENT or REQUEST becomes one exchange of the route
 * {@code tcp-ingest}, answered asynchronously (ACK after the broker's confirm), so one connection
 * has up to {@code gamewire.tcp.max-in-flight} frames in the route at once.
 */
public class TcpIngestRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "tcp-ingest";

    @Override
    public void configure() throws Exception {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        TcpSettings tcp = TcpSettings.from(settings);
        TcpConnections connections = new TcpConnections(tcp.maxConnections());
        TitleRegistry titles = getContext().getRegistry().lookupByNameAndType("titleRegistry", TitleRegistry.class);
        BusGateway gateway = getContext().getRegistry().lookupByNameAndType("busGateway", BusGateway.class);
        getContext().getRegistry().lookupByNameAndType("envelopePublisher", EnvelopePublisher.class).publisher()
                .onBlockedChange((blocked, reason) -> connections.brokerBlocked(blocked));
        getContext().getRegistry().bind("gwpServerInitializer", new GwpServerInitializer(tcp, connections, titles));
        getContext().getRegistry().bind("tcpConnections", connections);
        getContext().getManagementStrategy().addEventNotifier(new TcpDrain(connections, tcp.drainTimeoutMs()));
        // the port opens once the titles (and so the API keys) are loaded: a client connecting
        // earlier would be refused AUTH_FAILED for a key that is about to be valid
        getContext().getRegistry().lookupByNameAndType("titleWatcher", TitleWatcher.class).afterFirstLoad(() -> {
            try {
                getContext().getRouteController().startRoute(ROUTE_ID);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the GWP TCP server (route " + ROUTE_ID + ")", e);
            }
        });

        from("netty:tcp://{{gamewire.tcp.host}}:{{gamewire.tcp.port}}"
                + "?serverInitializerFactory=#gwpServerInitializer&sync=true&allowDefaultCodec=false"
                + "&disconnectOnNoReply=false&reuseAddress=true&keepAlive=true&tcpNoDelay=true")
                .routeId(ROUTE_ID).autoStartup(false)
                // TcpFrameProcessor turns every failure into an ERROR frame: nothing to redeliver
                .errorHandler(noErrorHandler())
                .process(new TcpFrameProcessor(gateway));
    }
}

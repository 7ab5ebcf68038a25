package io.gamewire.routes;

import io.vertx.core.Handler;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Puts a Vert.x handler in front of platform-http's routes on the main HTTP server (camel-main's
 * {@code camel.server.*}), on the router before the server listens, so that no request passes
 * the port without it.
 *
 * <p>The one hook platform-http runs there is its authentication configuration, whose handlers it
 * puts first on the router before listening (the more specific paths first); so the handler becomes
 * such an entry, which authenticates nothing, added to the main server's configuration as the server
 * is added to Camel. The handler must call {@link RoutingContext#next()} or answer.
 */
public final class MainServerFront {

    private final String path;
    private final Handler<RoutingContext> handler;
    private final int port;
    private volatile boolean onServer;

    private MainServerFront(String path, Handler<RoutingContext> handler, int port) {
        this.path = path;
        this.handler = handler;
        this.port = port;
    }

    /**
     * Puts {@code handler} on the paths {@code path} (Vert.x's form, e.g. {@code /v1/*}) of the
     * HTTP server of {@code port}, which camel-main adds to Camel later. The answer tells whether
     * it is on the server; it is by the time Camel has started, unless the server is off.
     */
    public static BooleanSupplier install(CamelContext camel, int port, String path, Handler<RoutingContext> handler) {
        MainServerFront front = new MainServerFront(path, handler, port);
        front.putOn(camel.hasService(MainHttpServer.class)); // in case camel-main added it already
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onServiceAdd(CamelContext context, Service service, Route route) {
                // the main server is added with its configuration; its Vert.x server (added when the
                // main server initialises, before it starts) is the last moment to add the entry
                if (service instanceof MainHttpServer || service instanceof VertxPlatformHttpServer) {
                    front.putOn(context.hasService(MainHttpServer.class));
                }
            }
        });
        return () -> front.onServer;
    }

    /** Adds the handler to the authentication entries of {@code server}, once, when it serves the port. */
    private synchronized void putOn(MainHttpServer server) {
        VertxPlatformHttpServerConfiguration configuration = server == null ? null : server.getConfiguration();
        if (onServer || configuration == null || server.getPort() != port) {
            return;
        }
        AuthenticationConfig authentication = configuration.getAuthenticationConfig();
        if (authentication == null) {
            authentication = new AuthenticationConfig();
            configuration.setAuthenticationConfig(authentication);
        }
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath(path);
        entry.setAuthenticationProviderFactory(vertx -> null); // it authenticates nothing
        AuthenticationHandler asEntry = handler::handle;
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return asEntry;
            }
        });
        authentication.getEntries().add(entry);
        authentication.setEnabled(true);
        onServer = true;
    }
}

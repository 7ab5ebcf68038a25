package io.gamewire.routes;

import io.gamewire.camel.ContextStopping;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Answers the API ({@code /v1/*}) with {@code 503} and {@code Retry-After: 1} while gamewire starts
 * and once it stops. platform-http's server listens as soon as Camel's services start, before the
 * routes that serve the API run, and after they stop; a request then got Vert.x's {@code 404
 * Resource not found}, which a client takes as "never send this again" and drops the event.
 *
 * <p>The gate must be on the router before the server listens: clients that wait to resend rush in
 * the moment the port opens. The one hook platform-http runs there is its authentication
 * configuration, whose handlers it puts first on the router before listening; so the gate is such
 * an entry (it authenticates nothing), added to the main HTTP server's configuration as the server
 * is added to Camel. It opens when Camel has fully started and closes when Camel starts to stop
 * (before any route stops: requests already in a route are answered), as {@code TcpDrain} does for
 * GWP. {@code /observe/*} is not gated: the health check says "starting" itself.
 */
public final class ApiGate implements AuthenticationHandler {

    static final String PATH = "/v1/*";
    static final String STARTING = "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"gamewire is"
            + " starting: send again in a moment\"}";
    static final String STOPPING = "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"gamewire is"
            + " stopping: send again in a moment, or to another instance\"}";

    /** The answer while closed: {@link #STARTING}, null (open), then {@link #STOPPING}. */
    private volatile String closedAnswer = STARTING;
    private final int port;
    private volatile boolean onServer;

    private ApiGate(int port) {
        this.port = port;
    }

    /** Puts the gate on the HTTP server of {@code port}, which camel-main adds to Camel later. */
    public static void install(CamelContext camel, int port) throws Exception {
        ApiGate gate = new ApiGate(port);
        gate.putOn(camel.hasService(MainHttpServer.class)); // in case camel-main added it already
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onServiceAdd(CamelContext context, Service service, Route route) {
                // the main server is added with its configuration; its Vert.x server (added when the
                // main server initialises, before it starts) is the last moment to add the entry
                if (service instanceof MainHttpServer || service instanceof VertxPlatformHttpServer) {
                    gate.putOn(context.hasService(MainHttpServer.class));
                }
            }
        });
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (!gate.onServer) {
                    throw new IllegalStateException("no HTTP server on port " + port + " took the API gate"
                            + " (camel.server.enabled must be true)");
                }
                gate.closedAnswer = null;
            }
        });
        camel.getManagementStrategy().addEventNotifier(new ContextStopping() {
            @Override
            protected void stopping() {
                gate.closedAnswer = ApiGate.STOPPING; // qualified: ServiceSupport has a STOPPING of its own
            }
        });
    }

    /** Adds the gate to the authentication entries of {@code server}, once, when it serves the API's port. */
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
        entry.setPath(PATH);
        entry.setAuthenticationProviderFactory(vertx -> null); // it authenticates nothing
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return ApiGate.this;
            }
        });
        authentication.getEntries().add(entry);
        authentication.setEnabled(true);
        onServer = true;
    }

    @Override
    public void handle(RoutingContext request) {
        String answer = closedAnswer;
        if (answer == null) {
            request.next();
            return;
        }
        request.response().setStatusCode(503).putHeader("Retry-After", "1")
                .putHeader("Content-Type", "application/json").end(answer);
    }
}

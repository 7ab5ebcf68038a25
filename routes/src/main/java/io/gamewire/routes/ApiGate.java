package io.gamewire.routes;

import io.gamewire.camel.ContextStopping;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers the API ({@code /v1/*}) with {@code 503} and {@code Retry-After: 1} while gamewire starts
 * and once it stops. platform-http's server listens as soon as Camel's services start, before the
 * routes that serve the API run, and after they stop; a request then got Vert.x's {@code 404
 * Resource not found}, which a client takes as "never send this again" and drops the event. The
 * gate opens when Camel has fully started and closes when it starts to stop (before any route
 * stops: requests already in a route are answered), as {@code TcpDrain} does for GWP.
 * {@code /observe/*} is not gated: the health check says "starting" itself.
 */
public final class ApiGate {

    static final String STARTING = "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"gamewire is"
            + " starting: send again in a moment\"}";
    static final String STOPPING = "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"gamewire is"
            + " stopping: send again in a moment, or to another instance\"}";

    /** The answer while closed: {@link #STARTING}, null (open), then {@link #STOPPING}. */
    private volatile String closedAnswer = STARTING;

    /** The routers the gate is on, by identity. */
    private final java.util.Set<Object> routers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private ApiGate() {
    }

    /** Puts the gate first on the router now serving {@code port}, once per router. */
    private synchronized void attach(CamelContext camel, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router != null && routers.add(router)) {
            router.route("/v1/*").order(Integer.MIN_VALUE).handler(this::handle);
        }
    }

    /** Puts the gate on the HTTP server of {@code port} as soon as it runs, before any route starts. */
    public static void install(CamelContext camel, int port) throws Exception {
        ApiGate gate = new ApiGate();
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
                // called once Camel's services, the HTTP server among them, have started: before the routes
                gate.attach(context, port);
            }

            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                // the server's router may have been made anew since (it is then bound under the same name)
                gate.attach(context, port);
                gate.closedAnswer = null;
            }
        });
        camel.getManagementStrategy().addEventNotifier(new ContextStopping() {
            @Override
            protected void stopping() {
                org.slf4j.LoggerFactory.getLogger(ApiGate.class).info("HTTP API closed: gamewire is stopping, /v1/* answers 503");
                gate.closedAnswer = ApiGate.STOPPING; // qualified: ServiceSupport has a STOPPING of its own
            }
        });
    }

    private void handle(RoutingContext request) {
        String answer = closedAnswer;
        if (answer == null) {
            request.next();
            return;
        }
        request.response().setStatusCode(503).putHeader("Retry-After", "1")
                .putHeader("Content-Type", "application/json").end(answer);
    }
}

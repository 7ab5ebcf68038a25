package io.gamewire.routes;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers the API ({@code /v1/*}) with {@code 503} and {@code Retry-After: 1} while gamewire starts.
 * platform-http's server listens as soon as Camel's services start, before the routes that serve
 * the API do; a request in between got Vert.x's {@code 404 Resource not found}, which a client
 * takes as "never send this again" and drops the event. Once Camel has fully started the gate lets
 * every request through. {@code /observe/*} is not gated: the health check says "starting" itself.
 */
public final class StartingGate {

    static final String BODY = "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"gamewire is starting:"
            + " send again in a moment\"}";

    private final AtomicBoolean started = new AtomicBoolean();

    private StartingGate() {
    }

    /** Puts the gate on the HTTP server of {@code port} as soon as it runs, before any route starts. */
    public static void install(CamelContext camel, int port) throws Exception {
        StartingGate gate = new StartingGate();
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
                // called once Camel's services, the HTTP server among them, have started: before the routes
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                        VertxPlatformHttpRouter.getRouterNameFromPort(port));
                if (router != null) {
                    router.route("/v1/*").order(Integer.MIN_VALUE).handler(gate::handle);
                }
            }

            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                gate.started.set(true);
            }
        });
    }

    private void handle(RoutingContext request) {
        if (started.get()) {
            request.next();
            return;
        }
        request.response().setStatusCode(503).putHeader("Retry-After", "1")
                .putHeader("Content-Type", "application/json").end(BODY);
    }
}

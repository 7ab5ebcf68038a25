package io.gamewire.routes;

import io.gamewire.camel.ContextStopping;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Answers the API ({@code /v1/*}) with {@code 503} and {@code Retry-After: 1} while gamewire starts
 * and once it stops. platform-http's server listens as soon as Camel's services start, before the
 * routes that serve the API run, and after they stop; a request then got Vert.x's {@code 404
 * Resource not found}, which a client takes as "never send this again" and drops the event.
 *
 * <p>The gate must be on the router before the server listens: clients that wait to resend rush in
 * the moment the port opens; {@link MainServerFront} puts it there. It opens when Camel has fully
 * started and closes when Camel starts to stop (before any route stops: requests already in a route are answered), as {@code TcpDrain} does for
 * GWP. {@code /observe/*} is not gated: the health check says "starting" itself.
 */
public final class ApiGate implements Handler<RoutingContext> {

    static final String PATH = "/v1/*";
    static final String STARTING = "gamewire is starting: send again in a moment";
    static final String STOPPING = "gamewire is stopping: send again in a moment, or to another instance";

    /** The message of the answer while closed: {@link #STARTING}, null (open), then {@link #STOPPING}. */
    private volatile String closedAnswer = STARTING;

    private ApiGate() {
    }

    /** Puts the gate on the HTTP server of {@code port}, which camel-main adds to Camel later. */
    public static void install(CamelContext camel, int port) throws Exception {
        ApiGate gate = new ApiGate();
        BooleanSupplier onServer = MainServerFront.install(camel, port, PATH, gate);
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (!onServer.getAsBoolean()) {
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

    @Override
    public void handle(RoutingContext request) {
        String answer = closedAnswer;
        if (answer == null) {
            request.next();
            return;
        }
        ProblemAnswers.end(request.response(), 503, answer, true);
    }
}

package io.gamewire.routes;

import io.gamewire.ingest.http.HttpProblems;
import io.gamewire.monitor.tail.SseFrames;
import io.gamewire.monitor.tail.Tail;
import io.gamewire.monitor.tail.TailStream;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.support.DefaultExchange;

/**
 * {@code GET /v1/admin/tail}: the HTTP side of the route {@code admin-tail}. The request goes through
 * that route as any admin call does ({@code adminAuthorization}, then {@code tailOpen}, failures
 * answered by {@link HttpApiErrors}), and when it leaves an open {@link Tail} as its body, this
 * streams the tail to the client as Server-Sent Events ({@link TailStream}) on the Vert.x event loop,
 * without holding a thread, until the client goes, the limit is reached or gamewire stops.
 *
 * <p>Why not a REST route whose body is an {@code InputStream}, as platform-http can write one:
 * platform-http-vertx 4.17 reads such a stream on Vert.x's worker pool with ordered blocking calls
 * per event loop, so tails on one event loop would wait for each other, and it sends a chunk only
 * once 8 KiB are read, so single events would sit in its buffer; and nothing closes the stream (and
 * the tail's binding) when the client disconnects. Here the response is written directly: each event
 * as it comes, the client's disconnect closing the tail.
 */
public final class TailSseEndpoint {

    /** Where the tail is served. */
    public static final String PATH = "/v1/admin/tail";

    private final Vertx vertx;
    private final ProducerTemplate template;

    private TailSseEndpoint(Vertx vertx, ProducerTemplate template) {
        this.vertx = vertx;
        this.template = template;
    }

    /** Adds {@code GET /v1/admin/tail} to the HTTP server's router, in front of the route {@code admin-tail}. */
    public static void register(CamelContext camel, Router router, Vertx vertx) {
        TailSseEndpoint endpoint = new TailSseEndpoint(vertx, camel.createProducerTemplate());
        router.get(PATH).handler(endpoint::handle);
    }

    private void handle(RoutingContext http) {
        Exchange exchange = new DefaultExchange(template.getCamelContext(), ExchangePattern.InOut);
        copyRequest(http, exchange);
        // the route may bind the monitor's queue (a broker round trip): blocking work, so on a worker (unordered: tails must
        // not wait for each other), then back on this event loop to answer
        Context context = vertx.getOrCreateContext();
        vertx.executeBlocking(() -> template.send("direct:" + AdminRoutes.TAIL_ROUTE_ID, exchange), false)
                .onComplete(done -> context.runOnContext(ignored -> {
                    if (done.succeeded() && done.result().getMessage().getBody() instanceof Tail tail) {
                        stream(http, tail, context);
                    } else {
                        answer(http, done.succeeded() ? done.result() : null, done.cause());
                    }
                }));
    }

    /** The query parameters the route reads ({@code tailOpen}); no other parameter reaches the exchange. */
    private static final List<String> TAIL_PARAMETERS = List.of("pattern", "deadLetters", "limit");

    /**
     * The request's headers as the exchange's headers, then the tail's own query parameters where no
     * header has the name; none named {@code Camel…}, so a client cannot set how Camel answers. The
     * method too, as {@code CamelHttpMethod}: {@code adminAuthorization} takes a call without one for
     * a state change, which a console session's cookie alone may not make (403). And the TCP peer's
     * address as platform-http gives it ({@value VertxPlatformHttpConstants#REMOTE_ADDRESS}), which
     * {@code adminAuthorization} counts failed authentications by.
     *
     * <p>Only the tail's parameters, and never over a header: {@code adminAuthorization} reads the
     * {@code Authorization} and {@code Cookie} headers, and a parameter of that name would put the
     * admin token or a session in the URL, where access logs, proxies and browser history keep it
     * (the console's login refuses query strings for the same reason). A header sent several times
     * is kept whole: {@code Cookie} lines joined with {@code "; "} (RFC 6265, section 5.4), any
     * other with {@code ", "} (RFC 9110, section 5.3).
     */
    private static void copyRequest(RoutingContext http, Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, http.request().method().name());
        message.setHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, http.request().remoteAddress());
        MultiMap headers = http.request().headers();
        for (String name : headers.names()) {
            if (!name.toLowerCase(Locale.ROOT).startsWith("camel")) {
                message.setHeader(name, String.join("cookie".equalsIgnoreCase(name) ? "; " : ", ", headers.getAll(name)));
            }
        }
        for (String name : TAIL_PARAMETERS) {
            String value = http.queryParams().get(name);
            if (value != null && !message.getHeaders().containsKey(name)) {
                message.setHeader(name, value);
            }
        }
    }

    /** A refusal or failure, as the route's error handler made it (or a 500 if the route itself failed). */
    private void answer(RoutingContext http, Exchange exchange, Throwable failure) {
        HttpServerResponse response = http.response();
        if (exchange == null || exchange.getException() != null) {
            Throwable cause = exchange == null ? failure : exchange.getException();
            Exchange problem = new DefaultExchange(template.getCamelContext());
            HttpProblems.answer(problem, 500, "internal error: " + cause);
            exchange = problem;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        response.setStatusCode(status == null ? 500 : status);
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && value != null) {
                response.putHeader(name, value.toString());
            }
        });
        response.putHeader("Content-Type", "application/json");
        Object body = exchange.getMessage().getBody();
        response.end(body == null ? "" : body.toString());
    }

    private void stream(RoutingContext http, Tail tail, Context context) {
        HttpServerResponse response = http.response();
        if (response.closed()) {
            tail.close(); // the client left while the tail was being opened
            return;
        }
        response.setChunked(true).putHeader("Content-Type", SseFrames.CONTENT_TYPE)
                .putHeader("Cache-Control", "no-cache")
                // nginx and its kin would buffer the stream otherwise
                .putHeader("X-Accel-Buffering", "no");
        long[] timer = {-1};
        TailStream stream = new TailStream(tail, new TailStream.SseSink() {
            @Override
            public boolean writeQueueFull() {
                return response.writeQueueFull();
            }

            @Override
            public void write(String text) {
                response.write(text);
            }

            @Override
            public void end() {
                vertx.cancelTimer(timer[0]);
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            }
        });
        response.closeHandler(closed -> {
            vertx.cancelTimer(timer[0]);
            stream.clientGone();
        });
        AtomicBoolean scheduled = new AtomicBoolean();
        Runnable[] drainSoon = new Runnable[1];
        drainSoon[0] = () -> {
            // one drain on the event loop for any number of arrivals before it runs; a drain that
            // stopped at its frame budget goes on in a later turn, letting other work in between
            if (scheduled.compareAndSet(false, true)) {
                context.runOnContext(ignored -> {
                    scheduled.set(false);
                    if (stream.drain()) {
                        drainSoon[0].run();
                    }
                });
            }
        };
        response.drainHandler(ignored -> {
            if (stream.drain()) {
                drainSoon[0].run();
            }
        });
        stream.begin();
        timer[0] = vertx.setPeriodic(TailStream.KEEP_ALIVE.toMillis(), id -> {
            if (stream.keepAlive()) {
                drainSoon[0].run();
            }
        });
        tail.onFrames(drainSoon[0]);
    }
}

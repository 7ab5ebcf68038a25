package io.gamewire.routes;

import io.gamewire.ingest.http.HttpEventBodies;
import io.gamewire.ingest.http.HttpProblems;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /v1/events/{routingKey}} by running the route {@code http-ingest-event}
 * asynchronously from the connection's event loop, instead of through platform-http's consumer
 * calling it on a worker thread. The route (whose consumer is that platform-http endpoint: Camel
 * inlines the REST verb's {@code direct:} route), its steps, its error answers
 * ({@link HttpApiErrors}), its inflight count and its metrics are the same; only the hand-over
 * differs. One difference shows to completion hooks: the route's own unit of work ends when the
 * route does, just before the answer is written, where platform-http ends it after writing.
 *
 * <p>Why: platform-http runs every request's route on a Vert.x worker thread with a plain
 * {@code process} call, so the thread is parked from the publish until the broker's confirm and
 * then woken to hand the answer back to the event loop: two thread switches and a parked thread per
 * event. Here the route's steps run on the event loop up to the publish (as a TCP EVENT's do, {@code
 * TcpEvents}), the route goes on on the broker's confirm thread, and the answer is written on the
 * event loop. bench/README.md ("Single-event HTTP on the event loop") has the measured difference.
 *
 * <p>What that moves onto the event loop, which also serves the connection's other requests and
 * {@code /observe/*}: reading and checking the event (its JSON against the command's schema, up to
 * {@code gamewire.http.max-body-bytes}) and, with {@code gamewire.rate-limits.shared}, a rate-limit
 * call to Redis when one is due (bounded by {@code gamewire.rate-limits.redis-timeout-ms}), as on a
 * TCP connection's event loop. And what bounds single events in flight is no longer the worker pool
 * but the clients' connections (HTTP/2: streams); each waits at most
 * {@code gamewire.bus.confirm-timeout-ms}, and its body was in memory before either way.
 *
 * <p>It takes only what it serves as platform-http would: a POST to one path segment after
 * {@code /v1/events/} (none percent-encoded), with a {@code Content-Length} within
 * {@code gamewire.http.max-body-bytes}, an {@code Accept} that allows JSON, no {@code Expect} but
 * {@code 100-continue} (answered here), while the route runs (not stopped or suspended; a route
 * stopped while the body came is answered 503). Everything else (a chunked or oversized body, a
 * stopped route, any other path) goes on to platform-http, which answers as before. It sits on the
 * router after the other handlers in front of the routes ({@link ApiGate},
 * {@link ForcedStopAnswers}, {@link HttpBodyTimeout}, {@link HttpHeaderTimeout}), so each of them
 * still sees every request first; an answer they gave first (the body timeout's 408, a forced stop's
 * 503) is left as it is.
 */
public final class EventPostsOnEventLoop implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(EventPostsOnEventLoop.class);

    /** The setting that turns it off: platform-http then serves the path as every other. */
    public static final String SETTING = "gamewire.http.event-posts-on-event-loop";
    /** Every path, as the handlers before it: so it comes after them on the router (same specificity, added last). */
    static final String PATH = "/*";
    private static final String PREFIX = "/v1/events/";
    static final String ROUTE = "http-ingest-event";
    private static final int INITIAL_BODY_BYTES = 1024;

    private final CamelContext camel;
    private final long maxBodyBytes;

    EventPostsOnEventLoop(CamelContext camel, long maxBodyBytes) {
        this.camel = camel;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Puts it on the HTTP server of {@code port}. Call it after the other handlers in front of the
     * routes are installed, so that it comes after them.
     */
    public static void install(CamelContext camel, int port, long maxBodyBytes) {
        MainServerFront.install(camel, port, PATH, new EventPostsOnEventLoop(camel, maxBodyBytes));
    }

    @Override
    public void handle(RoutingContext request) {
        String routingKey = servedRoutingKey(request);
        if (routingKey == null) {
            request.next();
            return;
        }
        HttpServerRequest http = request.request();
        if ("100-continue".equalsIgnoreCase(http.getHeader("Expect")) && http.version() != HttpVersion.HTTP_1_0) {
            http.response().writeContinue(); // as platform-http's body handler: the client waits for it to send
        }
        if (http.isEnded()) { // an empty body may have ended with the headers
            runRoute(request, routingKey, Buffer.buffer());
            return;
        }
        // grown as the body comes, not allocated at the declared length: a client that declares 1 MB
        // and sends nothing holds nothing
        Buffer body = Buffer.buffer(INITIAL_BODY_BYTES);
        http.handler(body::appendBuffer);
        http.exceptionHandler(closed -> { }); // a client gone before its body is in is no error of ours
        http.endHandler(end -> runRoute(request, routingKey, body));
        http.resume(); // in case a handler before this one paused it
    }

    /** The routing key of a request this serves, or null for one platform-http serves. */
    String servedRoutingKey(RoutingContext request) {
        HttpServerRequest http = request.request();
        if (http.method() != HttpMethod.POST) {
            return null;
        }
        String path = http.path();
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String routingKey = path.substring(PREFIX.length());
        if (routingKey.isEmpty() || routingKey.indexOf('/') >= 0 || routingKey.indexOf('%') >= 0) {
            return null; // a second segment, a trailing slash, or an encoding: platform-http's matching decides
        }
        long length = contentLength(http);
        if (length < 0 || length > maxBodyBytes || !acceptsJson(request.parsedHeaders().accept())) {
            return null; // platform-http refuses these as before (413 before reading, 406)
        }
        String expect = http.getHeader("Expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            return null; // platform-http answers 417
        }
        if (!routeStarted()) {
            return null; // platform-http's consumer of a stopped or suspended route answers as it does
        }
        return routingKey;
    }

    private boolean routeStarted() {
        return camel.getRouteController().getRouteStatus(ROUTE) == ServiceStatus.Started;
    }

    /** The declared body length, or -1 without a usable {@code Content-Length} (chunked). */
    static long contentLength(HttpServerRequest http) {
        String length = http.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether the {@code Accept} ranges allow the route's {@code application/json} (no header:
     * anything goes). A range of weight 0 refuses, as RFC 9110 says; Vert.x's {@code produces}
     * matching would take it, so such a request merely goes the worker-thread way.
     */
    static boolean acceptsJson(List<MIMEHeader> accept) {
        if (accept.isEmpty()) {
            return true;
        }
        for (MIMEHeader range : accept) {
            if (range.weight() > 0 && (range.component().equals("*") || range.component().equalsIgnoreCase("application"))
                    && (range.subComponent().equals("*") || range.subComponent().equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the route with the request, as platform-http's binding would give it; answers on the event loop. */
    private void runRoute(RoutingContext request, String routingKey, Buffer body) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return; // answered before the body was in (the body timeout)
        }
        Route route = camel.getRoute(ROUTE);
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer == null || !routeStarted()) { // stopped, suspended or removed while the body came
            ProblemAnswers.end(response, 503, "the route " + ROUTE + " is not running (stopped, suspended or"
                    + " removed): nothing was published; send again in a moment", true);
            return;
        }
        HttpServerRequest http = request.request();
        Exchange exchange = consumer.createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        Message in = exchange.getMessage();
        in.setHeader("routingKey", routingKey);
        copyHeader(http, in, Exchange.CONTENT_TYPE);
        copyHeader(http, in, HttpEventBodies.MESSAGE_ID_HEADER);
        copyHeader(http, in, "Authorization"); // the first step takes it off the message
        in.setBody(body.getBytes());
        Context loop = request.vertx().getOrCreateContext();
        AtomicBoolean answered = new AtomicBoolean();
        AsyncCallback done = doneSync -> {
            if (answered.compareAndSet(false, true)) {
                if (doneSync) {
                    answer(http, consumer, exchange);
                } else {
                    loop.runOnContext(v -> answer(http, consumer, exchange)); // from the confirm's thread
                }
            }
        };
        // the route's own processor: its unit of work, inflight count, route policy (metrics) and steps
        try {
            AsyncProcessorConverterHelper.convert(consumer.getProcessor()).process(exchange, done);
        } catch (RuntimeException e) { // Camel's own refusal to run (a stop under way), not a step's failure
            if (!answered.get()) { // not answered already: the exchange is still this request's
                exchange.setException(e);
                done.done(true);
            }
        }
    }

    private static void copyHeader(HttpServerRequest http, Message in, String name) {
        String value = http.getHeader(name);
        if (value != null) {
            in.setHeader(name, value);
        }
    }

    /**
     * Writes the route's answer, then gives the exchange back. A failure the route did not answer
     * (it has {@link HttpApiErrors}, so only Camel's own, such as a stop that interrupted it) is
     * answered as {@link HttpApiErrors} answers any failure ({@link HttpProblems#failed}). A failure
     * to write closes the connection, so that the client is not left waiting.
     */
    private static void answer(HttpServerRequest http, Consumer consumer, Exchange exchange) {
        HttpServerResponse response = http.response();
        try {
            if (exchange.getException() != null) {
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, exchange.getException());
                exchange.setException(null);
                HttpProblems.failed(exchange);
            }
            write(response, exchange.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Writing the answer to a POST of an event failed; its request is ended without one", e);
            HttpBodyTimeout.close(http); // HTTP/2: this stream only, the connection's others go on
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }

    /** The answer's status ({@link Exchange#HTTP_RESPONSE_CODE}), its headers but Camel's own, and its body. */
    private static void write(HttpServerResponse response, Message out) {
        if (response.headWritten() || response.closed()) {
            return; // a forced stop's 503 came first, or the client is gone
        }
        response.setStatusCode(out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        for (Map.Entry<String, Object> header : out.getHeaders().entrySet()) {
            String name = header.getKey();
            if (header.getValue() != null && !name.regionMatches(true, 0, "Camel", 0, 5)) {
                response.putHeader(name, header.getValue().toString());
            }
        }
        String answer = out.getBody(String.class);
        response.end(answer == null ? "" : answer);
    }
}

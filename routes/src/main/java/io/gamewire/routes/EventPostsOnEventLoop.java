package io.gamewire.routes;

import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.http.HttpAnswer;
import io.gamewire.ingest.http.HttpBatches;
import io.gamewire.ingest.http.HttpEventBodies;
import io.gamewire.ingest.http.HttpEvents;
import io.gamewire.ingest.http.HttpProblems;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.InflightRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /v1/events/{routingKey}} and {@code POST /v1/events} on the connection's event
 * loop, without a Camel exchange: {@link HttpEvents} runs the steps of the route
 * {@code http-ingest-event} (read the event, admit, publish and await the broker's confirm), and
 * {@link HttpBatches} those of {@code http-ingest-batch} (check the key, read the batch, admit,
 * publish and confirm each event), as plain calls, and each gives the answer its route would, which
 * is written on the event loop. The routes stay: they serve what this does not take, and each
 * route's state is its path's switch (stopped or suspended, the requests go to platform-http's
 * consumer, which answers as a stopped route does).
 *
 * <p>Why: platform-http runs every request's route on a Vert.x worker thread with a plain
 * {@code process} call, so the thread is parked from the publish until the broker's confirm and
 * then woken to hand the answer back to the event loop: two thread switches and a parked thread per
 * event. Running the route from the event loop took those away (bench/README.md, "Single-event HTTP
 * on the event loop"); the exchange's own machinery was then a quarter of gamewire's CPU per
 * request, which {@link HttpEvents} takes away too ("Single events without a Camel exchange").
 * Batches went the same way later ("Batches on the event loop"): a batch request spends almost all
 * its time waiting for the broker's confirms, and the worker thread and exchange around that wait
 * did nothing the steps need.
 *
 * <p>What stays as it was with the routes: the steps, the answers (202 for an event, 200 with a
 * result per event for a batch, and every problem as {@link HttpProblems} gives it), and a stop's
 * wait: each request being served counts as an exchange in flight in its route
 * ({@code camel_exchanges_inflight}, Camel's inflight repository),
 * so a stop waits for its answer up to {@code camel.main.shutdown-timeout}, and one still waiting
 * then is answered 503 by {@link ForcedStopAnswers}. What differs: these requests are counted by
 * {@code gamewire_http_events_seconds{answer}} and {@code gamewire_http_batches_seconds{answer}},
 * not the routes' {@code camel_exchanges_total}, and Camel's tracer, message history and
 * interceptors do not see them.
 *
 * <p>What that moves onto the event loop, which also serves the connection's other requests and
 * {@code /observe/*}: reading and checking the events (their JSON against the command's schema, up
 * to {@code gamewire.http.max-body-bytes} and {@code gamewire.http.max-batch-events} a request)
 * and, with {@code gamewire.rate-limits.shared}, a rate-limit call to Redis when one is due (bounded
 * by {@code gamewire.rate-limits.redis-timeout-ms}; a batch's events may make several, one per tenth
 * of its key's rate), as on a TCP connection's event loop. And what bounds requests in flight is no
 * longer the worker pool but the clients' connections (HTTP/2: streams); each waits at most
 * {@code gamewire.bus.confirm-timeout-ms}, and its body was in memory before either way.
 *
 * <p>It takes only what it serves as platform-http would: a POST to {@code /v1/events} or to one
 * path segment after {@code /v1/events/} (none percent-encoded), with a {@code Content-Length}
 * within {@code gamewire.http.max-body-bytes}, an {@code Accept} that allows JSON, no {@code Expect}
 * but {@code 100-continue} (answered here), while its route runs (not stopped or suspended; a route
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
    private static final String BATCH_PATH = "/v1/events";
    private static final String PREFIX = BATCH_PATH + "/";
    static final String EVENT_ROUTE = EventHttpRoutes.INGEST_EVENT;
    static final String BATCH_ROUTE = EventHttpRoutes.INGEST_BATCH;
    private static final int INITIAL_BODY_BYTES = 1024;

    /** A request this serves: to its route, with the routing key of a single event (null for a batch). */
    record Post(String route, String routingKey) {
    }

    private final CamelContext camel;
    private final long maxBodyBytes;
    private final Function<HttpEvents.Request, CompletableFuture<HttpAnswer>> events;
    private final Function<HttpBatches.Request, CompletableFuture<HttpAnswer>> batches;

    EventPostsOnEventLoop(CamelContext camel, long maxBodyBytes,
                          Function<HttpEvents.Request, CompletableFuture<HttpAnswer>> events,
                          Function<HttpBatches.Request, CompletableFuture<HttpAnswer>> batches) {
        this.camel = camel;
        this.maxBodyBytes = maxBodyBytes;
        this.events = events;
        this.batches = batches;
    }

    /**
     * Puts it on the HTTP server of {@code port}. Call it after the other handlers in front of the
     * routes are installed, so that it comes after them.
     */
    public static void install(CamelContext camel, int port, long maxBodyBytes, HttpEvents events,
                               HttpBatches batches) {
        MainServerFront.install(camel, port, PATH,
                new EventPostsOnEventLoop(camel, maxBodyBytes, events::answer, batches::answer));
    }

    @Override
    public void handle(RoutingContext request) {
        Post post = served(request);
        if (post == null) {
            request.next();
            return;
        }
        HttpServerRequest http = request.request();
        if ("100-continue".equalsIgnoreCase(http.getHeader("Expect")) && http.version() != HttpVersion.HTTP_1_0) {
            http.response().writeContinue(); // as platform-http's body handler: the client waits for it to send
        }
        if (http.isEnded()) { // an empty body may have ended with the headers
            serve(request, post, Buffer.buffer());
            return;
        }
        // grown as the body comes, not allocated at the declared length: a client that declares 1 MB
        // and sends nothing holds nothing
        Buffer body = Buffer.buffer(INITIAL_BODY_BYTES);
        http.handler(body::appendBuffer);
        http.exceptionHandler(closed -> { }); // a client gone before its body is in is no error of ours
        http.endHandler(end -> serve(request, post, body));
        http.resume(); // in case a handler before this one paused it
    }

    /** What a request this serves is, or null for one platform-http serves. */
    Post served(RoutingContext request) {
        HttpServerRequest http = request.request();
        if (http.method() != HttpMethod.POST) {
            return null;
        }
        Post post = postOf(http.path());
        if (post == null) {
            return null;
        }
        long length = contentLength(http);
        if (length < 0 || length > maxBodyBytes || !acceptsJson(request.parsedHeaders().accept())) {
            return null; // platform-http refuses these as before (413 before reading, 406)
        }
        String expect = http.getHeader("Expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            return null; // platform-http answers 417
        }
        if (!routeStarted(post.route())) {
            return null; // platform-http's consumer of a stopped or suspended route answers as it does
        }
        return post;
    }

    /** The post of {@code path}: a batch, or an event with its routing key; null for any other path. */
    private static Post postOf(String path) {
        if (BATCH_PATH.equals(path)) {
            return new Post(BATCH_ROUTE, null);
        }
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String routingKey = path.substring(PREFIX.length());
        if (routingKey.isEmpty() || routingKey.indexOf('/') >= 0 || routingKey.indexOf('%') >= 0) {
            return null; // a second segment, a trailing slash, or an encoding: platform-http's matching decides
        }
        return new Post(EVENT_ROUTE, routingKey);
    }

    private boolean routeStarted(String route) {
        return camel.getRouteController().getRouteStatus(route) == ServiceStatus.Started;
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

    /** Serves the post with {@link HttpEvents} or {@link HttpBatches} and writes its answer on the event loop. */
    private void serve(RoutingContext request, Post post, Buffer body) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return; // answered before the body was in (the body timeout)
        }
        Route route = camel.getRoute(post.route());
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer == null || !routeStarted(post.route())) { // stopped, suspended or removed while the body came
            ProblemAnswers.end(response, 503, "the route " + post.route() + " is not running (stopped, suspended"
                    + " or removed): nothing was published; send again in a moment", true);
            return;
        }
        // counted in flight in the route, as its own exchanges: a stop waits for the answer
        Exchange inFlight = consumer.createExchange(false);
        InflightRepository inflightRepository = camel.getInflightRepository();
        inflightRepository.add(inFlight);
        inflightRepository.add(inFlight, post.route());
        HttpServerRequest http = request.request();
        CompletableFuture<HttpAnswer> answer;
        try {
            answer = answer(http, post, body.getBytes());
        } catch (Throwable e) { // HttpEvents and HttpBatches answer every failure of their own: this is a bug, answered 500
            answer = CompletableFuture.failedFuture(e);
        }
        InFlight served = new InFlight(post.route(), inFlight, consumer);
        Context loop = request.vertx().getOrCreateContext();
        answer.whenComplete((done, failure) -> {
            HttpAnswer written = failure == null ? done : failed(failure);
            if (Vertx.currentContext() == loop) {
                answer(http, written, served);
                return;
            }
            try {
                loop.runOnContext(v -> answer(http, written, served)); // from the confirm's thread
            } catch (Throwable e) { // Vert.x closed under a late confirm: no answer can be written, but a stop must not wait for it
                LOG.warn("The answer to a POST to {} could not be handed to its event loop; its request is ended"
                        + " without one", post.route(), e);
                notInFlight(served);
            }
        });
    }

    /** The answer of {@link HttpEvents} or {@link HttpBatches} to the request. */
    private CompletableFuture<HttpAnswer> answer(HttpServerRequest http, Post post, byte[] body) {
        String authorization = http.getHeader("Authorization");
        String contentType = http.getHeader(Exchange.CONTENT_TYPE);
        return post.routingKey() == null ? batches.apply(new HttpBatches.Request(authorization, contentType, body))
                : events.apply(new HttpEvents.Request(authorization, post.routingKey(), contentType,
                        http.getHeader(HttpEventBodies.MESSAGE_ID_HEADER), body));
    }

    /** A request being served, counted in flight in its route as {@code exchange}. */
    private record InFlight(String route, Exchange exchange, Consumer consumer) {
    }

    /** The answer to a failure {@link HttpEvents} or {@link HttpBatches} did not answer itself (a bug): a 500 naming it, whatever happens. */
    private static HttpAnswer failed(Throwable failure) {
        try {
            return HttpProblems.of(FutureProcessor.unwrap(failure), null);
        } catch (Throwable e) {
            return new HttpAnswer(500, HttpProblems.body(500, "internal error: " + failure), Map.of());
        }
    }

    /**
     * Writes the answer, then takes the request out of the route's exchanges in flight (once: this
     * is the only place that does, but for an answer that could not be handed to the event loop). A
     * failure to write closes the connection, so that the client is not left waiting.
     */
    private void answer(HttpServerRequest http, HttpAnswer answer, InFlight served) {
        try {
            write(http.response(), answer);
        } catch (RuntimeException e) {
            LOG.error("Writing the answer to a POST to {} failed; its request is ended without one", served.route(), e);
            HttpBodyTimeout.close(http); // HTTP/2: this stream only, the connection's others go on
        } finally {
            notInFlight(served);
        }
    }

    private void notInFlight(InFlight served) {
        InflightRepository inflightRepository = camel.getInflightRepository();
        inflightRepository.remove(served.exchange(), served.route());
        inflightRepository.remove(served.exchange());
        served.consumer().releaseExchange(served.exchange(), false);
    }

    /** The answer's status, {@code Content-Type: application/json}, its headers and its body. */
    private static void write(HttpServerResponse response, HttpAnswer answer) {
        if (response.headWritten() || response.closed()) {
            return; // a forced stop's 503 came first, or the client is gone
        }
        response.setStatusCode(answer.status());
        response.putHeader(Exchange.CONTENT_TYPE, "application/json");
        answer.headers().forEach(response::putHeader);
        response.end(answer.body());
    }
}

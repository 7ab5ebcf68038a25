package io.gamewire.routes;

import io.gamewire.camel.ContextStopping;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code 503} with a JSON problem, "the outcome of this request is unknown: resend it with
 * the same message id", to every HTTP request still being served when a stop is about to be forced:
 * one that runs past {@code camel.main.shutdown-timeout} (requests waiting on a broker that does
 * not confirm, the stop after a broken store). Once Camel forces its routes down it refuses to run
 * the rest of their routes, error handling included ("Run not allowed as ShutdownStrategy is forcing
 * shutting down"), so gamewire's own answer never comes, and platform-http answers {@code 500} with
 * an empty body (its exception muted), which tells a client neither what happened nor to resend.
 *
 * <p>A handler in front of every route of the server ({@link MainServerFront}) keeps each request
 * until its answer ends or its connection closes. When Camel starts to stop, the answers are set for
 * {@link #answerAt a moment before} the shutdown timeout: each kept request whose answer has not
 * begun is then answered here, on its event loop. No hook of Camel's comes early enough: the forced
 * stop tells the routes' services only after it has stopped every consumer, which takes seconds
 * (the AMQP listener containers wait for their workers), and requests completing meanwhile had
 * their {@code 500} already. A request that completes after the answer finds its response ended, and
 * platform-http's answer is dropped; a request whose answer has begun (the live tail's stream) is
 * left to the server's close. A stop that ends in time answers every request in its route first.
 */
public final class ForcedStopAnswers implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ForcedStopAnswers.class);

    /** Every path of the server: the API, the admin API and the console all run routes that a forced stop cuts. */
    static final String PATH = "/*";
    /** The answer's message. */
    public static final String MESSAGE = "gamewire is stopping; the outcome of this request is unknown: resend it"
            + " with the same message id (header Gw-Message-Id, or each NDJSON line's messageId), which is stored"
            + " once, in a moment or to another instance";

    /** Requests whose answer has not ended, with the event loop each is served on. */
    private final Map<RoutingContext, Context> serving = new ConcurrentHashMap<>();

    ForcedStopAnswers() {
    }

    /**
     * Puts the answers on the HTTP server of {@code port}, which camel-main adds to Camel later; they
     * are given once {@link #answerBeforeTheStopIsForced} is called too.
     */
    public static ForcedStopAnswers install(CamelContext camel, int port) throws Exception {
        ForcedStopAnswers answers = new ForcedStopAnswers();
        MainServerFront.install(camel, port, PATH, answers);
        return answers;
    }

    /**
     * Starts the clock of the answers when the stop begins. Call it after adding every event
     * notifier that holds the stop before Camel's own shutdown timeout starts (the GWP drain,
     * {@code TcpDrain}): Camel runs the notifiers one after another on the stopping thread, so a
     * clock started before them would answer 503 up to the drain's time too early.
     */
    public void answerBeforeTheStopIsForced(CamelContext camel) {
        ForcedStopAnswers answers = this;
        camel.getManagementStrategy().addEventNotifier(new ContextStopping() {
            @Override
            protected void stopping() {
                // read now: the stop after a broken store sets a timeout of its own just before it stops
                ShutdownStrategy shutdown = camel.getShutdownStrategy();
                long timeoutMs = shutdown.getTimeUnit().toMillis(shutdown.getTimeout());
                if (timeoutMs > 0) { // 0: Camel waits for the routes without end, and forces nothing
                    CompletableFuture.runAsync(answers::answerAll,
                            CompletableFuture.delayedExecutor(answerAt(timeoutMs), TimeUnit.MILLISECONDS));
                }
            }
        });
    }

    /**
     * When, in ms after the stop began, the requests still being served are answered: a tenth of the
     * (positive) shutdown timeout before it, but at least 100 ms and at most 1 s before, so that the
     * answers are written before the routes are forced down; a request that would have completed in
     * between is resent by its client, and stored once.
     */
    static long answerAt(long shutdownTimeoutMs) {
        long before = Math.max(100, Math.min(1000, shutdownTimeoutMs / 10));
        return Math.max(0, shutdownTimeoutMs - before);
    }

    @Override
    public void handle(RoutingContext request) {
        serving.put(request, request.vertx().getOrCreateContext()); // the event loop serving it
        // called when the answer ends and when the connection closes before it does
        request.addEndHandler(ended -> serving.remove(request));
        request.next();
    }

    /**
     * Answers every request being served whose answer has not begun, each on its event loop, where
     * platform-http writes its answers too: one of the two comes first, and the other finds the answer begun.
     */
    void answerAll() {
        int answered = 0;
        for (Map.Entry<RoutingContext, Context> request : serving.entrySet()) {
            if (serving.remove(request.getKey()) != null) {
                request.getValue().runOnContext(v -> answer(request.getKey()));
                answered++;
            }
        }
        if (answered > 0) {
            LOG.warn("The stop is about to be forced (camel.main.shutdown-timeout): {} HTTP request(s) still being"
                    + " served are answered 503, outcome unknown", answered);
        }
    }

    private static void answer(RoutingContext request) {
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.closed()) {
            return; // answered in time, or a stream under way: not ours to change
        }
        ProblemAnswers.end(response, 503, MESSAGE, true);
    }
}

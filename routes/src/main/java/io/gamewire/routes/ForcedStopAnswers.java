package io.gamewire.routes;

import io.gamewire.camel.BeforeTheStopIsForced;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
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
 * {@link BeforeTheStopIsForced a moment before} the shutdown timeout: each kept request whose answer has not
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
     * Answers a moment before the stop is forced ({@link BeforeTheStopIsForced}). Call it after adding
     * every event notifier that holds the stop before Camel's own shutdown timeout starts (the GWP
     * drain, {@code TcpDrain}).
     */
    public void answerBeforeTheStopIsForced(CamelContext camel) {
        BeforeTheStopIsForced.run(camel, this::answerAll);
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

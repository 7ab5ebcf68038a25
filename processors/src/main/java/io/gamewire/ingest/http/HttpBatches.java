package io.gamewire.ingest.http;

import io.gamewire.camel.FutureProcessor;
import io.gamewire.titles.TitleRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One batch of {@code POST /v1/events} served without a Camel exchange: the steps of the route
 * {@code http-ingest-batch} (check the key, read the batch, admit, publish and confirm each event,
 * answer 200 with one result per event), with the answers {@link HttpProblems} gives its failures
 * there, as plain calls.
 *
 * <p>Why, as for single events ({@link HttpEvents}): the route runs on a Vert.x worker thread that
 * is parked from the publish until the last confirm, and its exchange's machinery is work that the
 * steps do not need. The steps are the shared ones ({@link BatchPublishing#titleKeySha256},
 * {@link HttpEventBodies#batch}, {@link BatchPublishing#publish}, {@link BatchPublishing#resultsBody}),
 * so a batch posted here is read, checked, published and answered exactly as through the route; the
 * route still serves what {@code EventPostsOnEventLoop} does not take (a chunked body, for one).
 *
 * <p>What the route's metrics gave for these batches, the meter {@value #METER} gives: a timer per
 * answer ({@code answer=answered} for a 200, whatever its events' results; {@code refused} for a
 * 4xx of the whole batch; {@code failed} for a 5xx) of the time from the whole body to the answer.
 */
public final class HttpBatches {

    /** The meter of batches answered and how long each took. */
    public static final String METER = "gamewire.http.batches";

    /** What the request gave: its {@code Authorization}, {@code Content-Type} and body. */
    public record Request(String authorization, String contentType, byte[] body) {

        /** Without the {@code Authorization} (the API key never goes to a log) and the body. */
        @Override
        public String toString() {
            return "POST of a batch (" + contentType + ", " + body.length + " bytes)";
        }
    }

    /** The step that reads the body into its items ({@link HttpEventBodies#batch}). */
    @FunctionalInterface
    interface Read {
        List<HttpEventBodies.Item> read(String contentType, byte[] body);
    }

    /** The step that admits and publishes the items ({@link BatchPublishing#publish}). */
    @FunctionalInterface
    interface Publish {
        CompletableFuture<List<BatchPublishing.EventResult>> publish(String keySha256, List<HttpEventBodies.Item> items);
    }

    private final UnaryOperator<String> titleKeySha256;
    private final Read read;
    private final Publish publish;
    private final Function<List<BatchPublishing.EventResult>, String> resultsBody;
    private final HttpAnswerTimers timers;

    public HttpBatches(TitleRegistry titles, HttpEventBodies bodies, BatchPublishing batches, MeterRegistry meters) {
        // the ring of the moment: a key removed from its title file stops working at once
        this(presented -> BatchPublishing.titleKeySha256(titles.keys(), presented), bodies::batch,
                batches::publish, batches::resultsBody, meters);
    }

    HttpBatches(UnaryOperator<String> titleKeySha256, Read read, Publish publish,
                Function<List<BatchPublishing.EventResult>, String> resultsBody, MeterRegistry meters) {
        this.titleKeySha256 = titleKeySha256;
        this.read = read;
        this.publish = publish;
        this.resultsBody = resultsBody;
        this.timers = new HttpAnswerTimers(meters, METER, 200, "answered",
                "batches posted over HTTP and answered 200 with one result per event (each accepted or"
                + " refused on its own), and the time from the whole body to the answer",
                "batches posted over HTTP and refused whole (4xx: the key, the content type, the size,"
                + " no event), and the time from the whole body to the answer",
                "batches posted over HTTP and answered 5xx (gamewire could not hand them to the bus, or"
                + " could not serve them), and the time from the whole body to the answer");
    }

    /**
     * Checks the key, reads the batch and publishes its events.
     *
     * @return completes with the answer: 200 with one result per event once each is confirmed or
     *         refused, else the problem {@link HttpProblems#of} names; never completes exceptionally
     */
    public CompletableFuture<HttpAnswer> answer(Request request) {
        long start = System.nanoTime();
        try {
            String key = titleKeySha256.apply(BearerAuthorization.presentedKey(request.authorization()));
            List<HttpEventBodies.Item> items = read.read(request.contentType(), request.body());
            return publish.publish(key, items).handle((results, failure) -> timers.timed(start, answerOf(results, failure)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(timers.timed(start, HttpProblems.of(e, null)));
        }
    }

    /** 200 with the results, or the problem of the failure (of the publish, or of writing the results). */
    private HttpAnswer answerOf(List<BatchPublishing.EventResult> results, Throwable failure) {
        try {
            return failure == null ? new HttpAnswer(200, resultsBody.apply(results), Map.of())
                    : HttpProblems.of(FutureProcessor.unwrap(failure), null);
        } catch (RuntimeException e) {
            return HttpProblems.of(e, null);
        }
    }
}

package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.ingest.TestTitles;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.bus.PublishOrders;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps of a batch that the route and the event loop share: the key, the publishes and their results, the body. */
class BatchPublishingTest {

    private final List<String> published = new ArrayList<>();
    private final List<PublishOrder> orders = new ArrayList<>();
    private final Map<String, CompletableFuture<Void>> confirms = new HashMap<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final Map<String, RuntimeException> publishThrows = new HashMap<>();

    /** Publishes by recording the event's routing key, its key, source and order; the test confirms each. */
    private final BatchPublishing batches = new BatchPublishing(new ObjectMapper(), () -> {
        PublishOrder order = PublishOrders.onLane(orders.size(), closed::incrementAndGet);
        orders.add(order);
        return order;
    }, (key, source, event, order) -> {
        published.add(event.routingKey() + " " + key + " " + source + " " + order);
        RuntimeException thrown = publishThrows.get(event.routingKey());
        if (thrown != null) {
            throw thrown;
        }
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        confirms.put(event.routingKey(), confirm);
        return confirm;
    });

    private static HttpEventBodies.Item event(String routingKey) {
        return new HttpEventBodies.Item(Envelope.event(MessageIds.next(), 1L, "application/json", routingKey,
                "{}".getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void everyEventIsPublishedInOneOrderClosedOnceTheLastIsSettled() {
        HttpEventBodies.Item first = event("halo.prod.stats.a");
        HttpEventBodies.Item bad = new HttpEventBodies.Item(null,
                new RefusedException(Refusal.INVALID_EVENT, "line 2: not JSON"));
        HttpEventBodies.Item third = event("halo.prod.stats.c");

        CompletableFuture<List<BatchPublishing.EventResult>> results = batches.publish("sha", List.of(first, bad, third));

        assertThat(orders).as("one order for the batch").hasSize(1);
        assertThat(published).containsExactly("halo.prod.stats.a sha " + EventSource.HTTP + " " + orders.get(0),
                "halo.prod.stats.c sha " + EventSource.HTTP + " " + orders.get(0));
        confirms.get("halo.prod.stats.c").complete(null); // confirms come in any order
        assertThat(results).isNotDone();
        assertThat(closed).as("the order stays open while an event waits").hasValue(0);
        confirms.get("halo.prod.stats.a").complete(null);

        assertThat(results).isCompletedWithValue(List.of(
                BatchPublishing.EventResult.accepted(0, first.event().messageId().toString()),
                new BatchPublishing.EventResult(1, 400, "line 2: not JSON", 0, null),
                BatchPublishing.EventResult.accepted(2, third.event().messageId().toString())));
        assertThat(closed).hasValue(1);
    }

    @Test
    void aRefusalOrAFailedConfirmIsThatEventsResultAndTheOthersGoOn() {
        HttpEventBodies.Item limited = event("halo.prod.stats.limited");
        HttpEventBodies.Item nacked = event("halo.prod.stats.nacked");
        HttpEventBodies.Item broken = event("halo.prod.stats.broken");
        HttpEventBodies.Item fine = event("halo.prod.stats.fine");
        publishThrows.put("halo.prod.stats.limited", new RefusedException(Refusal.RATE_LIMITED, "slow down", 2, null));

        CompletableFuture<List<BatchPublishing.EventResult>> results = batches.publish("sha",
                List.of(limited, nacked, broken, fine));
        confirms.get("halo.prod.stats.nacked").completeExceptionally(new CompletionException(
                new RefusedException(Refusal.PUBLISH_FAILED, "outcome unknown: nack")));
        confirms.get("halo.prod.stats.broken").completeExceptionally(new IllegalStateException("lost"));
        confirms.get("halo.prod.stats.fine").complete(null);

        // an event refused before its publish has no id to resend with; one that was published has
        assertThat(results).isCompletedWithValue(List.of(
                new BatchPublishing.EventResult(0, 429, "slow down", 2, null),
                new BatchPublishing.EventResult(1, 503, "outcome unknown: nack", 0, nacked.event().messageId().toString()),
                new BatchPublishing.EventResult(2, 500, "java.lang.IllegalStateException: lost", 0,
                        broken.event().messageId().toString()),
                BatchPublishing.EventResult.accepted(3, fine.event().messageId().toString())));
        assertThat(closed).hasValue(1);
    }

    @Test
    void aPublishThatFailsOtherwiseFailsTheBatchAndClosesItsOrder() {
        publishThrows.put("halo.prod.stats.b", new IllegalStateException("the publisher is gone"));

        assertThatThrownBy(() -> batches.publish("sha", List.of(event("halo.prod.stats.a"), event("halo.prod.stats.b"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("the publisher is gone");

        assertThat(closed).hasValue(1);
    }

    @Test
    void aBatchNeedsTheKeyOfATitleAndIsRefusedWhole401Otherwise(@TempDir Path dir) throws Exception {
        ApiKeyRing keys = TestTitles.registry(dir).keys();

        assertThat(BatchPublishing.titleKeySha256(keys, TestTitles.SERVERS_KEY))
                .isEqualTo(ApiKeyRing.sha256(TestTitles.SERVERS_KEY));
        assertThatThrownBy(() -> BatchPublishing.titleKeySha256(keys, null))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("no API key given; send Authorization: Bearer <API key of the title>");
        assertThatThrownBy(() -> BatchPublishing.titleKeySha256(keys, "nobody's key"))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("unknown API key; send Authorization: Bearer <API key of the title>");
    }

    @Test
    void aBatchsResultsAreDoneWhenEveryEventIsSettledAndTheLoopHasHandedOverItsLast() {
        BatchPublishing.BatchResults results = new BatchPublishing.BatchResults(3);
        BatchPublishing.EventResult refused = BatchPublishing.EventResult.refused(1,
                new RefusedException(Refusal.INVALID_EVENT, "line 2: \"bad\""), null);
        BatchPublishing.EventResult second = BatchPublishing.EventResult.accepted(2, "id-2");
        BatchPublishing.EventResult first = BatchPublishing.EventResult.accepted(0, "id-0");

        results.settle(refused);
        results.settle(second); // confirms come in any order
        results.settle(first);
        assertThat(results.done()).as("not before the loop has ended").isNotDone();
        results.allHandedOver();

        assertThat(results.done()).isCompletedWithValue(List.of(first, refused, second));
    }

    @Test
    void anEmptyBatchIsDoneOnceTheLoopEnds() {
        BatchPublishing.BatchResults results = new BatchPublishing.BatchResults(0);
        assertThat(results.done()).isNotDone();

        results.allHandedOver();

        assertThat(results.done()).isCompletedWithValue(List.of());
    }

    /** The results of {@link #RESULTS_BODY}: one of each kind. */
    static final List<BatchPublishing.EventResult> RESULTS = List.of(
            BatchPublishing.EventResult.accepted(0, "0190b6c2-7f3e-7abc-8def-0123456789ab"),
            BatchPublishing.EventResult.refused(1, new RefusedException(Refusal.INVALID_EVENT, "line 2: \"bad\""), null),
            BatchPublishing.EventResult.refused(2, new RefusedException(Refusal.RATE_LIMITED, "slow down", 3, null),
                    "0190b6c2-7f3e-7abc-8def-0123456789ac"),
            new BatchPublishing.EventResult(3, 500, "java.io.IOException: gone", 0,
                    "0190b6c2-7f3e-7abc-8def-0123456789ad"),
            new BatchPublishing.EventResult(4, 503, null, 0, "0190b6c2-7f3e-7abc-8def-0123456789ae"));

    /** The body a batch with {@link #RESULTS} is answered with. */
    static final String RESULTS_BODY = "{\"accepted\":1,\"refused\":4,\"results\":["
            + "{\"index\":0,\"status\":202,\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ab\"},"
            + "{\"index\":1,\"status\":400,\"message\":\"line 2: \\\"bad\\\"\"},"
            + "{\"index\":2,\"status\":429,\"message\":\"slow down\",\"retryAfter\":3,"
            + "\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ac\"},"
            + "{\"index\":3,\"status\":500,\"message\":\"java.io.IOException: gone\","
            + "\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ad\"},"
            + "{\"index\":4,\"status\":503,\"message\":null,\"messageId\":\"0190b6c2-7f3e-7abc-8def-0123456789ae\"}]}";

    @Test
    void theResultsBodyHasTheCountsAndOneResultPerEventInTheBatchsOrder() {
        assertThat(batches.resultsBody(RESULTS)).isEqualTo(RESULTS_BODY);
    }
}

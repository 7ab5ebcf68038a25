package io.gamewire.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.Refusal;
import io.gamewire.ingest.RefusedException;
import io.gamewire.ingest.TestTitles;
import io.gamewire.titles.ApiKeyRing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps of a batch that the route and the event loop share: the key, the results, their body. */
class BatchPublishingTest {

    private final BatchPublishing batches = new BatchPublishing(new ObjectMapper(), null);

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

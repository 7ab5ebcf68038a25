package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The watermark is a checkpoint: stored after every event of a page was confirmed and before the
 * next page is asked for, so a crash at any point resumes at the last confirmed page.
 */
class PullCheckpointTest extends PullTestSupport {

    @Test
    void theWatermarkIsStoredOnlyAfterThePagesConfirmsAndBeforeTheNextPage() throws Exception {
        List<String> atRequest = Collections.synchronizedList(new ArrayList<>());
        List<String> atPublish = Collections.synchronizedList(new ArrayList<>());
        List<String> pages = List.of(
                "{\"items\": [{\"id\": \"a\", \"seq\": 1}, {\"id\": \"b\", \"seq\": 2}], \"next\": \"p2\"}",
                "{\"items\": [{\"id\": \"c\", \"seq\": 3}], \"next\": \"p3\"}",
                "{\"items\": [{\"id\": \"d\", \"seq\": 4}]}");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                atRequest.add(String.valueOf(storedWatermark("leaderboard")));
                String cursor = request.getUrl().queryParameter("cursor");
                return json(pages.get(cursor == null ? 0 : cursor.equals("p2") ? 1 : 2));
            }
        });
        // confirms arrive late, on another thread, as the broker's do
        Executor late = CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS);
        publisher.confirm = id -> {
            atPublish.add(id + "@" + storedWatermark("leaderboard"));
            return CompletableFuture.runAsync(() -> { }, late);
        };
        PullDefinition pull = new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.seq", WatermarkKind.ID, null).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(atRequest).containsExactly("null", "2", "3");
        assertThat(atPublish).containsExactly("a@null", "b@null", "c@2", "d@3");
        assertThat(storedWatermark("leaderboard")).isEqualTo("4");
    }
}

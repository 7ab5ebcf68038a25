package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** If-None-Match and If-Modified-Since: a 304 emits nothing. */
class PullConditionalTest extends PullTestSupport {

    @Test
    void aSecondRunSendsTheEtagAndA304EmitsNothing() throws Exception {
        server.enqueue(jsonBuilder("[{\"id\": \"a\"}, {\"id\": \"b\"}]").addHeader("ETag", "\"v1\"").build());
        server.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"v1\"").build());
        PullDefinition pull = new PullBuilder(url("/leaderboard")).conditional().build();

        PullResult first = runner.run(TITLE, pull);
        clock.advance(Duration.ofMinutes(5));
        PullResult second = runner.run(TITLE, pull);

        assertThat(first.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(take().getHeaders().get("If-None-Match")).isNull();
        assertThat(second.notModified()).isTrue();
        assertThat(second.itemsSeen()).isZero();
        assertThat(take().getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(publisher.ids()).containsExactly("a", "b");
        PullState state = runner.state(TITLE, "leaderboard");
        assertThat(state.etag()).isEqualTo("\"v1\"");
        assertThat(state.lastRunAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(counter(PullMetrics.RUNS, "outcome", "not_modified")).isEqualTo(1);
    }

    @Test
    void lastModifiedIsSentAsIfModifiedSince() throws Exception {
        String lastModified = "Wed, 31 Dec 2025 23:00:00 GMT";
        server.enqueue(jsonBuilder("[{\"id\": \"a\"}]").addHeader("Last-Modified", lastModified).build());
        server.enqueue(new MockResponse.Builder().code(304).build());
        PullDefinition pull = new PullBuilder(url("/leaderboard")).conditional().build();

        runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, pull);

        take();
        assertThat(take().getHeaders().get("If-Modified-Since")).isEqualTo(lastModified);
        assertThat(second.notModified()).isTrue();
        assertThat(publisher.ids()).containsExactly("a");
    }

    @Test
    void validatorsGoOnlyOnTheFirstRequestAndNotWhenTheTitleFileSaysNo() throws Exception {
        kv.merge(PullState.key(TITLE, "feed"), params(PullState.ETAG, "\"old\""));
        kv.merge(PullState.key(TITLE, "plain"), params(PullState.ETAG, "\"old\""));
        server.enqueue(jsonBuilder("{\"items\": [{\"id\": 1}], \"next\": \"2\"}").addHeader("ETag", "\"new\"").build());
        server.enqueue(jsonBuilder("{\"items\": [{\"id\": 2}]}").addHeader("ETag", "\"page-2\"").build());
        server.enqueue(json("[]"));

        runner.run(TITLE, new PullBuilder(url("/feed")).name("feed").conditional().jsonItems("$.items")
                .cursor("cursor", "$.next").build());
        runner.run(TITLE, new PullBuilder(url("/plain")).name("plain").build());

        assertThat(take().getHeaders().get("If-None-Match")).isEqualTo("\"old\"");
        assertThat(take().getHeaders().get("If-None-Match")).isNull();
        assertThat(take().getHeaders().get("If-None-Match")).isNull();
        // the first response's validator is the one kept
        assertThat(runner.state(TITLE, "feed").etag()).isEqualTo("\"new\"");
    }

    @Test
    void aBackfillSendsItsOwnSinceAndNoValidatorsAndNeverMovesTheWatermarkBack() throws Exception {
        kv.merge(PullState.key(TITLE, "leaderboard"), params(PullState.ETAG, "\"v1\"", PullState.WATERMARK, "500"));
        server.enqueue(json("[{\"id\": \"a\", \"seq\": 120}, {\"id\": \"b\", \"seq\": 130}]"));
        PullDefinition pull = new PullBuilder(url("/leaderboard")).conditional()
                .watermark("since", "$.seq", WatermarkKind.ID, null).build();

        PullResult result = runner.run(TITLE, pull, RunOptions.backfill("100", PullProgress.NONE));

        RecordedRequest request = take();
        assertThat(request.getUrl().queryParameter("since")).isEqualTo("100");
        assertThat(request.getHeaders().get("If-None-Match")).isNull();
        assertThat(result.itemsPublished()).isEqualTo(2);
        assertThat(storedWatermark("leaderboard")).isEqualTo("500");
        assertThat(runner.state(TITLE, "leaderboard").etag()).isEqualTo("\"v1\"");
    }

    @Test
    void a304NobodyAskedForFailsTheRun() throws Exception {
        server.enqueue(new MockResponse.Builder().code(304).build());

        PullResult result = runner.run(TITLE, new PullBuilder(url("/leaderboard")).build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: HTTP 304 from " + url("/leaderboard"));
    }
}

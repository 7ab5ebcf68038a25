package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A run that stops at {@code limits.max-pages} with pages left leaves the next run the page after
 * its last, so five pages at two a run take three runs, and the fourth starts over.
 */
class PullResumeTest extends PullTestSupport {

    /** Requests as the server saw them: path and query. */
    private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
    /** Each request's If-None-Match, "-" when it had none. */
    private final List<String> ifNoneMatch = Collections.synchronizedList(new ArrayList<>());

    /** Five pages of one item each, page n asked for by {@code which(request)} = n. */
    private void fivePages(java.util.function.ToIntFunction<RecordedRequest> which,
                           java.util.function.IntFunction<MockResponse> page) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                targets.add(request.getTarget());
                String etag = request.getHeaders().get("If-None-Match");
                ifNoneMatch.add(etag == null ? "-" : etag);
                return page.apply(which.applyAsInt(request));
            }
        });
    }

    /** {@code limits.max-pages: 2}. */
    private static PullDefinition twoPagesARun(PullBuilder builder) {
        return builder.limits(2, 3, Duration.ofSeconds(30), 3, Duration.ofMinutes(5)).build();
    }

    @Test
    void cursorPagesGoOnWhereTheLastRunStoppedAndStartOverAfterTheLast() throws Exception {
        fivePages(request -> {
            String cursor = request.getUrl().queryParameter("cursor");
            return cursor == null ? 1 : Integer.parseInt(cursor.substring(1));
        }, n -> json("{\"items\": [{\"id\": " + n + "}]" + (n < 5 ? ", \"next\": \"c" + (n + 1) + "\"" : "") + "}"));
        PullDefinition pull = twoPagesARun(new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next"));

        PullResult first = runner.run(TITLE, pull);
        assertThat(runner.state(TITLE, "leaderboard").resume()).isEqualTo("cursor:c3");
        PullResult second = runner.run(TITLE, pull);
        PullResult third = runner.run(TITLE, pull);
        assertThat(runner.state(TITLE, "leaderboard").resume()).isNull();
        PullResult fourth = runner.run(TITLE, pull);

        assertThat(targets).containsExactly("/feed", "/feed?cursor=c2", "/feed?cursor=c3", "/feed?cursor=c4",
                "/feed?cursor=c5", "/feed", "/feed?cursor=c2");
        assertThat(List.of(first.morePages(), second.morePages(), third.morePages(), fourth.morePages()))
                .containsExactly(true, true, false, true);
        assertThat(publisher.ids()).containsExactly("1", "2", "3", "4", "5");
        assertThat(fourth.duplicatesSkipped()).isEqualTo(2);
    }

    @Test
    void offsetPagesGoOnWithTheirRunsSinceAndWithoutValidatorsThenStartFromTheWatermark() throws Exception {
        fivePages(request -> Integer.parseInt(request.getUrl().queryParameter("offset")) + 1,
                n -> jsonBuilder(n <= 5 ? "[{\"id\": \"i" + n + "\", \"seq\": " + n + "}]" : "[]")
                        .addHeader("ETag", "\"e" + n + "\"").build());
        PullDefinition pull = twoPagesARun(new PullBuilder(url("/feed")).pages(PagingKind.OFFSET, "offset", "limit", 1, 0)
                .watermark("since", "$.seq", WatermarkKind.ID, "0").conditional());

        for (int run = 0; run < 4; run++) {
            runner.run(TITLE, pull);
        }

        // an offset counts within one result set: the resumed runs keep the first run's since,
        // though the watermark moved on; the fourth starts from the watermark
        assertThat(targets).containsExactly(
                "/feed?since=0&offset=0&limit=1", "/feed?since=0&offset=1&limit=1",
                "/feed?since=0&offset=2&limit=1", "/feed?since=0&offset=3&limit=1",
                "/feed?since=0&offset=4&limit=1", "/feed?since=0&offset=5&limit=1",
                "/feed?since=5&offset=0&limit=1", "/feed?since=5&offset=1&limit=1");
        // validators only on requests for the first page, from the first page's response
        assertThat(ifNoneMatch).containsExactly("-", "-", "-", "-", "-", "-", "\"e1\"", "-");
        assertThat(publisher.ids()).containsExactly("i1", "i2", "i3", "i4", "i5");
        assertThat(storedWatermark("leaderboard")).isEqualTo("5");
    }

    @Test
    void aStoredLinkHoldsNoQueryAuthSecretAndTheResumedRequestSendsItAgain() throws Exception {
        environment.put("FEED_KEY", "s3cret-key");
        fivePages(request -> {
            String page = request.getUrl().queryParameter("page");
            return page == null ? 1 : Integer.parseInt(page);
        }, n -> {
            MockResponse.Builder response = jsonBuilder("[{\"id\": " + n + "}]");
            if (n < 5) {
                // the API echoes the key into its links, as many do
                response.addHeader("Link", "</feed?page=" + (n + 1) + "&api_key=s3cret-key>; rel=\"next\"");
            }
            return response.build();
        });
        PullDefinition pull = twoPagesARun(new PullBuilder(url("/feed")).link().auth(new Auth(AuthKind.QUERY, "api_key", "FEED_KEY")));

        runner.run(TITLE, pull);
        String resume = runner.state(TITLE, "leaderboard").resume();
        runner.run(TITLE, pull);

        assertThat(resume).isEqualTo("link:" + url("/feed?page=3"));
        assertThat(targets).containsExactly("/feed?api_key=s3cret-key", "/feed?page=2&api_key=s3cret-key",
                "/feed?page=3&api_key=s3cret-key", "/feed?page=4&api_key=s3cret-key");
    }

    @Test
    void aResumedRunThatFailsLeavesTheNextRunToStartOver() throws Exception {
        fivePages(request -> {
            String cursor = request.getUrl().queryParameter("cursor");
            return cursor == null ? 1 : Integer.parseInt(cursor.substring(1));
        }, n -> n == 3 ? new MockResponse.Builder().code(400).body("{\"error\": \"cursor expired\"}").build()
                : json("{\"items\": [{\"id\": " + n + "}], \"next\": \"c" + (n + 1) + "\"}"));
        PullDefinition pull = twoPagesARun(new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next"));

        runner.run(TITLE, pull);
        PullResult resumed = runner.run(TITLE, pull);
        runner.run(TITLE, pull);

        assertThat(resumed.failure()).contains("HTTP 400", "cursor expired");
        assertThat(targets).containsExactly("/feed", "/feed?cursor=c2", "/feed?cursor=c3", "/feed", "/feed?cursor=c2");
    }

    @Test
    void aBackfillNeitherUsesNorMovesTheResumePoint() throws Exception {
        fivePages(request -> {
            String page = request.getUrl().queryParameter("page");
            return page == null ? 1 : Integer.parseInt(page);
        }, n -> json("[{\"id\": \"i" + n + "\", \"seq\": " + n + "}]"));
        PullDefinition pull = twoPagesARun(new PullBuilder(url("/feed")).pages(PagingKind.PAGE, "page", null, 1, 1)
                .watermark("since", "$.seq", WatermarkKind.ID, null));

        runner.run(TITLE, pull);
        runner.run(TITLE, pull, RunOptions.backfill("0", PullProgress.NONE));
        PullState afterBackfill = runner.state(TITLE, "leaderboard");
        runner.run(TITLE, pull);

        assertThat(afterBackfill.resume()).isEqualTo("page:3");
        assertThat(targets).containsExactly("/feed?page=1", "/feed?page=2", "/feed?since=0&page=1",
                "/feed?since=0&page=2", "/feed?page=3", "/feed?page=4");
    }

    @Test
    void aResumePointOfAnotherPagingTypeIsDroppedAndTheRunStartsAtTheFirstPage() throws Exception {
        kv.merge(PullState.key(TITLE, "leaderboard"), params(PullState.RESUME, "page:3"));
        fivePages(request -> 5, n -> json("{\"items\": [{\"id\": 1}]}"));
        PullDefinition pull = new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(targets).containsExactly("/feed");
        assertThat(runner.state(TITLE, "leaderboard").resume()).isNull();
    }
}

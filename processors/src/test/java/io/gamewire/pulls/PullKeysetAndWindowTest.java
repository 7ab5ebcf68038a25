package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.gamewire.titles.model.PullDefinition.Window;
import io.gamewire.titles.model.PullDefinition.WindowFormat;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Keyset paging (the next page after the last item's key) and time windows that move forward with an overlap. */
class PullKeysetAndWindowTest extends PullTestSupport {

    private static MockResponse ndjson(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").body(body)
                .build();
    }

    /** An NDJSON export paged by since (epoch ms) with max: since = the last createdAt + 1, sharing the watermark's parameter. */
    private PullDefinition export() {
        return new PullBuilder(url("/games")).ndjson().emit("$", "$.id")
                .watermark("since", "$.createdAt", WatermarkKind.ID, "100")
                .keyset("since", "$.createdAt", 1, "max", 2)
                .build();
    }

    @Test
    void aFullPageAsksForTheItemsAfterItsLastKeyAndAShortPageEndsTheRun() throws Exception {
        server.enqueue(ndjson("{\"id\": \"g1\", \"createdAt\": 101}\n{\"id\": \"g2\", \"createdAt\": 105}\n"));
        server.enqueue(ndjson("{\"id\": \"g3\", \"createdAt\": 107}\n"));

        PullResult result = runner.run(TITLE, export());

        assertThat(result.failure()).isNull();
        assertThat(take().getUrl().query()).isEqualTo("since=100&max=2");
        assertThat(take().getUrl().query()).isEqualTo("since=106&max=2");
        assertThat(publisher.ids()).containsExactly("g1", "g2", "g3");
        assertThat(result.pages()).isEqualTo(2);
        assertThat(storedWatermark("leaderboard")).isEqualTo("107");

        // the next run starts from the watermark, and the item at it is skipped, not counted twice
        server.enqueue(ndjson("{\"id\": \"g3\", \"createdAt\": 107}\n"));
        PullResult next = runner.run(TITLE, export());
        assertThat(take().getUrl().query()).isEqualTo("since=107&max=2");
        assertThat(next.duplicatesSkipped()).isEqualTo(1);
        assertThat(next.itemsPublished()).isZero();
    }

    @Test
    void aKeyThatIsNoNumberCannotBeAddedTo() throws Exception {
        server.enqueue(ndjson("{\"id\": \"g1\", \"createdAt\": \"x\"}\n{\"id\": \"g2\", \"createdAt\": \"y\"}\n"));

        PullResult result = runner.run(TITLE, export());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: the last item's key at $.createdAt is 'y',"
                + " not a whole number that paging.add 1 can be added to");
    }

    @Test
    void aFullPageOfOneKeyWithoutAddFailsInsteadOfLoopingForever() throws Exception {
        server.enqueue(ndjson("{\"id\": \"a\", \"k\": 5}\n{\"id\": \"b\", \"k\": 5}\n"));
        server.enqueue(ndjson("{\"id\": \"c\", \"k\": 5}\n{\"id\": \"d\", \"k\": 5}\n"));
        PullDefinition pull = new PullBuilder(url("/k")).ndjson().keyset("after", "$.k", 0, null, 2).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).contains("page 2: the page's last item has the key the page was asked for ('5')");
        assertThat(take().getUrl().query()).isNull();
        assertThat(take().getUrl().query()).isEqualTo("after=5");
    }

    @Test
    void aKeyThatComesBackAfterOtherPagesFailsTheRunInsteadOfCyclingForever() throws Exception {
        server.enqueue(ndjson("{\"id\": \"a\", \"k\": 5}\n{\"id\": \"b\", \"k\": 6}\n"));
        server.enqueue(ndjson("{\"id\": \"c\", \"k\": 7}\n{\"id\": \"d\", \"k\": 8}\n"));
        server.enqueue(ndjson("{\"id\": \"e\", \"k\": 5}\n{\"id\": \"f\", \"k\": 6}\n"));
        PullDefinition pull = new PullBuilder(url("/k")).ndjson().keyset("after", "$.k", 0, null, 2).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).contains("page 3: the page carried the key '6', which page 2 of this run was"
                + " asked with already; the API's pages form a cycle that would never end");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aWindowMovesForwardFromTheLastEndLessTheOverlapClampedToEarliestAndMax() throws Exception {
        // the test clock stands at 2026-01-01T00:00:00Z; the first window starts a day before, 6 h at most
        Instant earliest = Instant.parse("2025-12-31T00:00:00Z");
        PullDefinition pull = new PullBuilder(url("/matches")).emit("$", "$")
                .window(new Window("startTime", "endTime", WindowFormat.EPOCH_SECONDS, Duration.ofMinutes(10),
                        Duration.ofHours(6), earliest))
                .build();
        for (int i = 0; i < 3; i++) {
            server.enqueue(json("[]"));
        }

        runner.run(TITLE, pull);
        runner.run(TITLE, pull);
        clock.advance(Duration.ofDays(2));
        runner.run(TITLE, pull);

        long start = earliest.getEpochSecond();
        assertThat(window(take())).isEqualTo(new long[] {start, start + 6 * 3600});
        assertThat(window(take())).as("from the last end less 10 minutes")
                .isEqualTo(new long[] {start + 6 * 3600 - 600, start + 12 * 3600 - 600});
        assertThat(window(take())).isEqualTo(new long[] {start + 12 * 3600 - 1200, start + 18 * 3600 - 1200});
    }

    @Test
    void aWindowEndsNowAndDoesNotMoveWhenTheRunFails() throws Exception {
        Instant earliest = Instant.parse("2025-12-31T23:00:00Z");
        PullDefinition pull = new PullBuilder(url("/matches")).emit("$", "$")
                .window(new Window("from", "to", WindowFormat.ISO, Duration.ZERO, null, earliest)).build();
        server.enqueue(new MockResponse.Builder().code(400).body("bad").build());
        server.enqueue(json("[]"));

        assertThat(runner.run(TITLE, pull).failure()).contains("HTTP 400");
        clock.advance(Duration.ofMinutes(5));
        assertThat(runner.run(TITLE, pull).failure()).isNull();

        assertThat(take().getUrl().query()).isEqualTo("from=2025-12-31T23:00:00Z&to=2026-01-01T00:00:00Z");
        assertThat(take().getUrl().query()).as("the failed window is asked for again, to now")
                .isEqualTo("from=2025-12-31T23:00:00Z&to=2026-01-01T00:05:00Z");
        assertThat(kv.get(PullState.key(TITLE, "leaderboard")).get(PullState.WINDOW_END))
                .isEqualTo(Long.toString(Instant.parse("2026-01-01T00:05:00Z").toEpochMilli()));
    }

    @Test
    void aRunStoppedAtMaxPagesGoesOnInTheSameWindow() throws Exception {
        Instant earliest = Instant.parse("2025-12-31T00:00:00Z");
        PullDefinition pull = new PullBuilder(url("/matches"))
                .pages(PullDefinition.PagingKind.OFFSET, "start", "count", 1, 0)
                .limits(1, 3, Duration.ofSeconds(30), 3, Duration.ofMinutes(5))
                .window(new Window("startTime", "endTime", WindowFormat.EPOCH_MILLIS, Duration.ZERO, null, earliest))
                .build();
        server.enqueue(json("[{\"id\": \"a\"}]"));
        server.enqueue(json("[]"));

        runner.run(TITLE, pull);
        clock.advance(Duration.ofMinutes(5));
        runner.run(TITLE, pull);

        String now = Long.toString(NOW.toEpochMilli());
        assertThat(take().getUrl().query()).isEqualTo("startTime=" + earliest.toEpochMilli() + "&endTime=" + now
                + "&start=0&count=1");
        assertThat(take().getUrl().query()).isEqualTo("startTime=" + earliest.toEpochMilli() + "&endTime=" + now
                + "&start=1&count=1");
    }

    @Test
    void keysetPagingReadsTheKeyFromTheLastItemAlsoInJsonItems() throws Exception {
        server.enqueue(json("{\"data\": [{\"id\": \"a\", \"t\": 1}, {\"id\": \"b\", \"t\": 2}], \"t\": 99}"));
        server.enqueue(json("{\"data\": [{\"id\": \"c\", \"t\": \"last\"}]}"));
        PullDefinition pull = new PullBuilder(url("/k")).jsonItems("$.data").keyset("after", "$.t", 1, null, 2).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).as("a short last page's key need not be a number").isNull();
        take();
        assertThat(take().getUrl().query()).isEqualTo("after=3");
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
    }

    @Test
    void aBackfillReadsFromEarliestAndLeavesTheStoredWindowEnd() throws Exception {
        Instant earliest = Instant.parse("2025-12-31T00:00:00Z");
        PullDefinition pull = new PullBuilder(url("/matches")).emit("$", "$")
                .window(new Window("from", "to", WindowFormat.EPOCH_SECONDS, Duration.ZERO, null, earliest)).build();
        server.enqueue(json("[]"));
        server.enqueue(json("[]"));

        runner.run(TITLE, pull);
        clock.advance(Duration.ofHours(1));
        PullResult backfill = runner.run(TITLE, pull, RunOptions.backfill("0", PullProgress.NONE));

        assertThat(backfill.failure()).isNull();
        take();
        assertThat(window(take(), "from", "to")).isEqualTo(new long[] {earliest.getEpochSecond(),
                NOW.plusSeconds(3600).getEpochSecond()});
        assertThat(kv.get(PullState.key(TITLE, "leaderboard")).get(PullState.WINDOW_END))
                .isEqualTo(Long.toString(NOW.toEpochMilli()));
    }

    private static long[] window(RecordedRequest request, String start, String end) {
        return new long[] {Long.parseLong(request.getUrl().queryParameter(start)),
                Long.parseLong(request.getUrl().queryParameter(end))};
    }

    private static long[] window(RecordedRequest request) {
        return new long[] {Long.parseLong(request.getUrl().queryParameter("startTime")),
                Long.parseLong(request.getUrl().queryParameter("endTime"))};
    }
}

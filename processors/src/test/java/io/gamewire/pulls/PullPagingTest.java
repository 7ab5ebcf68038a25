package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Paging schemes and body shapes, replayed as publisher APIs send them. */
class PullPagingTest extends PullTestSupport {

    @Test
    void cursorPagedItemsArePublishedInOrderAndTheNextRunSendsTheStoredWatermark() throws Exception {
        // the cursor comes after the items on page 1, before them on page 2, and not at all on page 3
        server.enqueue(json("""
                {"items": [{"id": "p1", "score": 10, "updatedAt": "2026-01-01T10:00:00Z"},
                           {"id": "p2", "score": 12, "updatedAt": "2026-01-01T10:05:00Z"}],
                 "paging": {"next": "c2", "limit": 2}}"""));
        server.enqueue(json("""
                {"paging": {"next": "c3"}, "meta": {"ignored": [1, 2, {"deep": true}]},
                 "items": [{"id": "p3", "score": 7, "updatedAt": "2026-01-01T12:30:00+02:00"},
                           {"id": "p4", "score": 3, "updatedAt": "2026-01-01T10:20:00Z"}]}"""));
        server.enqueue(json("""
                {"items": [{"id": "p5", "score": 1, "updatedAt": "2026-01-01T10:10:00Z"}], "paging": {}}"""));
        PullDefinition pull = new PullBuilder(url("/v1/leaderboard?region=eu")).jsonItems("$.items")
                .cursor("cursor", "$.paging.next")
                .watermark("updated_since", "$.updatedAt", WatermarkKind.TIMESTAMP, "2025-12-31T00:00:00Z").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(result.pages()).isEqualTo(3);
        assertThat(result.itemsSeen()).isEqualTo(5);
        assertThat(result.itemsPublished()).isEqualTo(5);
        assertThat(publisher.ids()).containsExactly("p1", "p2", "p3", "p4", "p5");
        assertThat(publisher.orders).as("one publish order for the run").hasSize(1);
        assertThat(publisher.publishOrders()).as("every item in the run's order").containsOnly(publisher.orders.get(0));
        assertThat(publisher.closedOrders).as("closed when the run ended").containsExactly(0);
        assertThat(publisher.published.get(0).routingKey()).isEqualTo(ROUTING_KEY);
        assertThat(publisher.published.get(0).payload())
                .isEqualTo("{\"id\":\"p1\",\"score\":10,\"updatedAt\":\"2026-01-01T10:00:00Z\"}");
        // 12:30+02:00 is 10:30Z, the latest instant, though not the latest text
        assertThat(result.watermark()).isEqualTo("2026-01-01T12:30:00+02:00");
        assertThat(storedWatermark("leaderboard")).isEqualTo("2026-01-01T12:30:00+02:00");

        RecordedRequest first = take();
        assertThat(first.getUrl().queryParameter("region")).isEqualTo("eu");
        assertThat(first.getUrl().queryParameter("updated_since")).isEqualTo("2025-12-31T00:00:00Z");
        assertThat(first.getUrl().queryParameter("cursor")).isNull();
        assertThat(first.getHeaders().get("Accept")).isEqualTo("application/json");
        RecordedRequest second = take();
        assertThat(second.getUrl().queryParameter("cursor")).isEqualTo("c2");
        assertThat(second.getUrl().queryParameter("updated_since")).isEqualTo("2025-12-31T00:00:00Z");
        assertThat(take().getUrl().queryParameter("cursor")).isEqualTo("c3");

        server.enqueue(json("{\"items\": []}"));
        PullResult next = runner.run(TITLE, pull);
        assertThat(next.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(take().getUrl().queryParameter("updated_since")).isEqualTo("2026-01-01T12:30:00+02:00");
        assertThat(counter(PullMetrics.RUNS, "title", TITLE, "pull", "leaderboard", "outcome", "ok")).isEqualTo(2);
        assertThat(counter(PullMetrics.ITEMS, "outcome", "published")).isEqualTo(5);
    }

    @Test
    void theItemsMayLieDeeperAndTheCursorBesideThem() throws Exception {
        server.enqueue(json("""
                {"data": {"cursor": "n2", "items": [{"id": 1}, {"id": 2}]}, "total": 3}"""));
        server.enqueue(json("""
                {"data": {"items": [{"id": 3}], "cursor": null}}"""));
        PullDefinition pull = new PullBuilder(url("/feed")).jsonItems("$.data.items").cursor("after", "$.data.cursor")
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("1", "2", "3");
        take();
        assertThat(take().getUrl().queryParameter("after")).isEqualTo("n2");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aCursorThatRepeatsFailsTheRunAfterThePageInsteadOfAskingForItForever() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}], \"next\": \"c1\"}"));
        server.enqueue(json("{\"items\": [{\"id\": \"b\", \"ts\": 2}], \"next\": \"c1\"}"));
        PullDefinition pull = new PullBuilder(url("/leaderboard")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.ts", WatermarkKind.ID, "0").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 2: the page carried the same cursor as the one"
                + " before ('c1'); the API would serve this page forever");
        assertThat(server.getRequestCount()).isEqualTo(2);
        // the page's items were confirmed before its cursor was judged
        assertThat(publisher.ids()).containsExactly("a", "b");
        assertThat(storedWatermark("leaderboard")).isEqualTo("2");
    }

    @Test
    void aCursorThatCyclesOverPagesFailsTheRunWhenItComesBack() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}], \"next\": \"c1\"}"));
        server.enqueue(json("{\"items\": [{\"id\": \"b\", \"ts\": 2}], \"next\": \"c2\"}"));
        server.enqueue(json("{\"items\": [{\"id\": \"c\", \"ts\": 3}], \"next\": \"c1\"}"));
        PullDefinition pull = new PullBuilder(url("/leaderboard")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.ts", WatermarkKind.ID, "0").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 3: the page carried the cursor 'c1', which"
                + " page 2 of this run was asked with already; the API's pages form a cycle that would never end");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
        assertThat(storedWatermark("leaderboard")).isEqualTo("3");
    }

    @Test
    void aNextLinkThatCyclesOverPagesFailsTheRunWhenItComesBack() throws Exception {
        server.enqueue(jsonBuilder("[{\"id\": \"a\"}]").addHeader("Link", "</m?page=2>; rel=\"next\"").build());
        server.enqueue(jsonBuilder("[{\"id\": \"b\"}]").addHeader("Link", "</m?page=3>; rel=\"next\"").build());
        server.enqueue(jsonBuilder("[{\"id\": \"c\"}]").addHeader("Link", "</m?page=2>; rel=\"next\"").build());
        PullDefinition pull = new PullBuilder(url("/m")).link().build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).startsWith("halo/leaderboard: page 3: the page carried the next link '")
                .endsWith("/m?page=2', which page 2 of this run was asked with already; the API's pages form a"
                        + " cycle that would never end");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
    }

    @Test
    void pagePagingStopsAtAShortPage() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}]"));
        server.enqueue(json("[{\"id\": \"c\"}, {\"id\": \"d\"}]"));
        server.enqueue(json("[{\"id\": \"e\"}]"));
        PullDefinition pull = new PullBuilder(url("/matches")).pages(PagingKind.PAGE, "page", "per_page", 2, 1)
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.pages()).isEqualTo(3);
        assertThat(publisher.ids()).containsExactly("a", "b", "c", "d", "e");
        for (String page : List.of("1", "2", "3")) {
            RecordedRequest request = take();
            assertThat(request.getUrl().queryParameter("page")).isEqualTo(page);
            assertThat(request.getUrl().queryParameter("per_page")).isEqualTo("2");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void offsetPagingStopsAtAnEmptyPage() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}]"));
        server.enqueue(json("[{\"id\": \"c\"}, {\"id\": \"d\"}]"));
        server.enqueue(json("[]"));
        PullDefinition pull = new PullBuilder(url("/matches")).pages(PagingKind.OFFSET, "offset", "limit", 2, 0)
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.pages()).isEqualTo(3);
        assertThat(result.itemsPublished()).isEqualTo(4);
        List<String> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offsets.add(take().getUrl().queryParameter("offset"));
        }
        assertThat(offsets).containsExactly("0", "2", "4");
    }

    @Test
    void linkHeaderPagingFollowsRelNextRelativeAndAbsolute() throws Exception {
        server.enqueue(jsonBuilder("[{\"id\": \"a\"}]")
                .addHeader("Link", "</matches?page=2>; rel=\"next\", </matches?page=9>; rel=\"last\"").build());
        server.enqueue(jsonBuilder("[{\"id\": \"b\"}]")
                .addHeader("Link", "<" + url("/matches?page=1") + ">; rel=\"first\", <" + url("/matches?page=3")
                        + ">; rel=\"next\"").build());
        server.enqueue(jsonBuilder("[{\"id\": \"c\"}]").addHeader("Link", "</matches?page=1>; rel=\"first\"").build());
        PullDefinition pull = new PullBuilder(url("/matches")).link().build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.pages()).isEqualTo(3);
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
        assertThat(take().getTarget()).isEqualTo("/matches");
        assertThat(take().getTarget()).isEqualTo("/matches?page=2");
        assertThat(take().getTarget()).isEqualTo("/matches?page=3");
    }

    @Test
    void maxPagesLeavesTheRestForTheNextRun() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": 1}], \"next\": \"b\"}"));
        server.enqueue(json("{\"items\": [{\"id\": 2}], \"next\": \"c\"}"));
        PullDefinition pull = new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next")
                .limits(2, 3, Duration.ofSeconds(30), 3, Duration.ofMinutes(5)).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(result.pages()).isEqualTo(2);
        assertThat(result.morePages()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anEmptyPageIsARunWithNothingToPublish() throws Exception {
        server.enqueue(json("[]"));
        server.enqueue(new MockResponse.Builder().code(204).build());
        PullDefinition pull = new PullBuilder(url("/matches")).cursor("cursor", "$.id").build();

        PullResult empty = runner.run(TITLE, pull);
        PullResult noContent = runner.run(TITLE, pull);

        for (PullResult result : List.of(empty, noContent)) {
            assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
            assertThat(result.pages()).isEqualTo(1);
            assertThat(result.itemsSeen()).isZero();
        }
        assertThat(publisher.published).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void arrayBodiesTakeTheCursorFromTheLastItem() throws Exception {
        server.enqueue(json("[{\"id\": 10}, {\"id\": 11}]"));
        server.enqueue(json("[]"));
        PullDefinition pull = new PullBuilder(url("/events")).cursor("after_id", "$.id").build();

        runner.run(TITLE, pull);

        take();
        assertThat(take().getUrl().queryParameter("after_id")).isEqualTo("11");
    }

    @Test
    void theEmittedPayloadIsThePartOfTheItemTheTitleFileNames() throws Exception {
        server.enqueue(json("[{\"meta\": {\"uid\": \"u-1\"}, \"data\": {\"kills\": 3}}]"));
        PullDefinition pull = new PullBuilder(url("/stats")).emit("$.data", "$.meta.uid").build();

        runner.run(TITLE, pull);

        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.itemId()).isEqualTo("u-1");
            assertThat(p.payload()).isEqualTo("{\"kills\":3}");
        });
    }

    @Test
    void aGzipBodyIsReadUnzipped() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("[{\"id\": \"z1\"}, {\"id\": \"z2\"}]".getBytes(StandardCharsets.UTF_8));
        }
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(new Buffer().write(zipped.toByteArray())).build());

        PullResult result = runner.run(TITLE, new PullBuilder(url("/zipped")).build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("z1", "z2");
        assertThat(take().getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void progressIsToldAfterEachConfirmedPage() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": 1}, {\"id\": 2}], \"next\": \"b\"}"));
        server.enqueue(json("{\"items\": [{\"id\": 1}, {\"id\": 3}]}"));
        List<String> progress = new ArrayList<>();
        PullDefinition pull = new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next").build();

        runner.run(TITLE, pull, RunOptions.manual((page, items, published) ->
                progress.add(page + ":" + items + ":" + published)));

        assertThat(progress).containsExactly("1:2:2", "2:4:3");
    }
}

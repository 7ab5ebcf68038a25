package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** NDJSON exports, streamed in chunks, with a since watermark. */
class PullNdjsonTest extends PullTestSupport {

    static MockResponse ndjson(String body, int chunk) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .chunkedBody(body, chunk).build();
    }

    @Test
    void aStreamedExportIsPublishedLineByLineAndAdvancesTheWatermark() throws Exception {
        // chunks of 7 bytes cut lines anywhere; a blank line, CRLF, and no newline after the last line
        server.enqueue(ndjson("""
                {"matchId": "m-1", "seq": 9, "map": "Blood Gulch"}
                {"matchId": "m-2", "seq": 10, "map": "Sidewinder"}\r

                {"matchId": "m-3", "seq": 11, "map": "Hang 'Em High"}""", 7));
        PullDefinition pull = new PullBuilder(url("/export.ndjson")).ndjson().emit("$", "$.matchId")
                .watermark("since", "$.seq", WatermarkKind.ID, "0").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("m-1", "m-2", "m-3");
        // 11 > 10 > 9 as numbers, though "9" > "11" as text
        assertThat(result.watermark()).isEqualTo("11");
        RecordedRequest request = take();
        assertThat(request.getUrl().queryParameter("since")).isEqualTo("0");
        assertThat(request.getHeaders().get("Accept")).startsWith("application/x-ndjson");

        server.enqueue(ndjson("{\"matchId\": \"m-4\", \"seq\": 12}\n", 64));
        runner.run(TITLE, pull);
        assertThat(take().getUrl().queryParameter("since")).isEqualTo("11");
        assertThat(storedWatermark("leaderboard")).isEqualTo("12");
    }

    @Test
    void aLargeExportPassesThroughWithBoundedConfirmsInFlight() throws Exception {
        int lines = ItemEmitter.MAX_IN_FLIGHT * 3 + 17;
        String body = IntStream.range(0, lines).mapToObj(i -> "{\"id\": " + i + ", \"ts\": " + (1_700_000_000 + i) + "}")
                .collect(Collectors.joining("\n", "", "\n"));
        server.enqueue(ndjson(body, 4096));
        PullDefinition pull = new PullBuilder(url("/export")).ndjson()
                .watermark("since", "$.ts", WatermarkKind.TIMESTAMP, null).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.itemsPublished()).isEqualTo(lines);
        assertThat(result.watermark()).isEqualTo(Integer.toString(1_700_000_000 + lines - 1));
        assertThat(take().getUrl().queryParameter("since")).isNull();
    }

    @Test
    void aLineCutInHalfFailsTheRunNamingUrlAndLineAndMovesTheWatermarkToTheLastWholeLine() throws Exception {
        kv.merge(PullState.key(TITLE, "leaderboard"), params(PullState.WATERMARK, "8"));
        server.enqueue(ndjson("""
                {"matchId": "m-1", "seq": 9}
                {"matchId": "m-2", "seq": 10}
                {"matchId": "m-3", "se""", 5));
        PullDefinition pull = new PullBuilder(url("/export")).ndjson().emit("$", "$.matchId")
                .watermark("since", "$.seq", WatermarkKind.ID, null).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.FAILED);
        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/export?since=8") + "): line 3 (byte 59,"
                        + " item at index 2)")
                .contains("cut in half")
                .endsWith("; the 2 whole line(s) before the break were read, and the watermark moves to 10, the last"
                        + " of them");
        assertThat(storedWatermark("leaderboard")).isEqualTo("10");
        assertThat(kv.get(PullState.key(TITLE, "leaderboard")).get(PullState.LAST_ERROR)).isEqualTo(result.failure());
        // what came before the cut is on the bus, and remembered: the re-fetch will not repeat it
        assertThat(publisher.ids()).containsExactly("m-1", "m-2");
        server.enqueue(ndjson("{\"matchId\": \"m-1\", \"seq\": 9}\n{\"matchId\": \"m-2\", \"seq\": 10}\n"
                + "{\"matchId\": \"m-3\", \"seq\": 11}\n", 64));
        PullResult again = runner.run(TITLE, pull);
        assertThat(take().getUrl().queryParameter("since")).isEqualTo("8");
        assertThat(take().getUrl().queryParameter("since")).as("from the last whole line").isEqualTo("10");
        assertThat(again.duplicatesSkipped()).isEqualTo(2);
        assertThat(publisher.ids()).containsExactly("m-1", "m-2", "m-3");
        assertThat(again.watermark()).isEqualTo("11");
    }

    @Test
    void aPageInDescendingOrderThatBreaksOffKeepsTheWatermark() throws Exception {
        kv.merge(PullState.key(TITLE, "leaderboard"), params(PullState.WATERMARK, "8"));
        // newest first: the unread lines lie between 8 and 11, so moving to 11 would skip them
        server.enqueue(ndjson("{\"matchId\": \"m-12\", \"seq\": 12}\n{\"matchId\": \"m-11\", \"seq\": 11}\n"
                + "{\"matchId\": \"m-10\", \"se", 5));
        PullDefinition pull = new PullBuilder(url("/export")).ndjson().emit("$", "$.matchId")
                .watermark("since", "$.seq", WatermarkKind.ID, null).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).endsWith("; the 2 whole line(s) before the break were read; the watermark stays"
                + " at 8");
        assertThat(storedWatermark("leaderboard")).isEqualTo("8");
        assertThat(publisher.ids()).containsExactly("m-12", "m-11");
    }

    @Test
    void aBrokenLineInTheMiddleNamesItsLine() throws Exception {
        server.enqueue(ndjson("{\"id\": 1}\n{\"id\": 2,,}\n{\"id\": 3}\n", 100));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/export")).ndjson().build());

        assertThat(result.failure()).contains("halo/leaderboard: page 1 (" + url("/export") + "): line 2 (byte 10")
                .contains("is not valid JSON");
        assertThat(publisher.ids()).containsExactly("1");
    }

    @Test
    void aLineOverTheDefaultLimitOf16MiBFailsThePageNamingLineLimitAndSettingAfterTheLinesBeforeIt()
            throws Exception {
        String huge = "{\"id\": 2, \"pad\": \"" + "x".repeat(16 << 20) + "\"}";
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .body("{\"id\": 1}\n" + huge + "\n{\"id\": 3}\n").build());

        PullResult result = runner.run(TITLE, new PullBuilder(url("/export")).ndjson().build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1 (" + url("/export") + "): line 2 (byte 10) is"
                + " longer than 16777216 bytes, the most one NDJSON item may have (limits.max-document-bytes); the 1"
                + " whole line(s) before the break were read");
        assertThat(publisher.ids()).containsExactly("1");
    }

    @Test
    void theLineLimitIsTheMaxDocumentBytesSettingAndAnNdjsonBodyAsAWholeHasNone() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("{\"id\": ").append(i).append(", \"pad\": \"").append("x".repeat(1000)).append("\"}\n");
        }
        body.append("{\"id\": 100, \"pad\": \"").append("x".repeat(2000)).append("\"}\n");
        server.enqueue(ndjson(body.toString(), 4096));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/export")).ndjson().maxDocumentBytes(1024).build());

        // 100 lines of about 1 KB each, 100 KB in all, pass; the one of 2 KB does not
        assertThat(result.failure()).contains("line 101 (byte ").contains("is longer than 1024 bytes, the most one"
                + " NDJSON item may have (limits.max-document-bytes)");
        assertThat(publisher.ids()).hasSize(100);
    }

    @Test
    void jsonAsTheContentTypeOfAnNdjsonPullFailsTheRun() throws Exception {
        server.enqueue(json("[{\"id\": 1}]"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/export")).ndjson()
                .limits(5, 1, Duration.ofSeconds(1), 3, Duration.ofMinutes(1)).build());

        assertThat(result.failure()).contains("content type 'application/json'")
                .contains("body.format ndjson needs application/x-ndjson");
        assertThat(publisher.published).isEmpty();
    }
}

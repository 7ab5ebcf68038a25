package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * Documents larger than {@code limits.max-document-bytes}: a JSON page fails the run, a followed
 * detail dead-letters its item, an NDJSON line fails the page; each naming the URL, the limit and
 * the setting. The limit counts the bytes after gzip and stops reading there.
 */
class PullDocumentSizeTest extends PullTestSupport {

    /** A JSON array of {@code count} items {@code {"id": "i<n>", "pad": "xxx…"}}, each padded by {@code padding} bytes. */
    private static String items(int count, int padding) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ", ").append("{\"id\": \"i").append(i).append("\", \"pad\": \"")
                    .append("x".repeat(padding)).append("\"}");
        }
        return body.append("]").toString();
    }

    @Test
    void aJsonPageOverTheLimitFailsTheRunNamingUrlLimitAndSettingAndPublishesNothingOfIt() throws Exception {
        server.enqueue(json(items(4, 400)));
        PullDefinition pull = new PullBuilder(url("/leaderboard")).maxDocumentBytes(1024).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.FAILED);
        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1 (" + url("/leaderboard") + "): the body is"
                + " longer than 1024 bytes, the most one JSON document may have (limits.max-document-bytes); nothing of the page was published (a JSON document is published only once it parsed"
                + " whole)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aJsonPageWithinTheLimitIsRead() throws Exception {
        String body = items(2, 400);
        server.enqueue(json(body));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/leaderboard")).maxDocumentBytes(body.length())
                .build());

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("i0", "i1");
    }

    @Test
    void theLimitCountsTheBytesAfterGzipAndStopsReadingThere() throws Exception {
        // 24 items of 1 MiB zip to a few tens of KiB; unbounded, all 24 MiB would be held, then published
        byte[] huge = items(24, 1 << 20).getBytes(StandardCharsets.UTF_8);
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(gzipped(huge)).build());

        PullResult result = runner.run(TITLE, new PullBuilder(url("/leaderboard")).build());

        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/leaderboard") + "): the body is"
                + " longer than 16777216 bytes, the most one JSON document may have (limits.max-document-bytes)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aFollowedDetailOverTheLimitDeadLettersItsItemNamingUrlLimitAndSetting() throws Exception {
        server.enqueue(json("[\"small\", \"large\"]"));
        server.enqueue(json("{\"match\": \"small\"}"));
        server.enqueue(json("{\"match\": \"large\", \"pad\": \"" + "x".repeat(2000) + "\"}"));
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$").maxDocumentBytes(1024)
                .follow(url("/m/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.published).extracting(RecordingPublisher.Published::payload)
                .containsExactly("{\"match\":\"small\"}");
        assertThat(publisher.deadLettered).extracting(RecordingPublisher.DeadLettered::reason).containsExactly(
                "pull halo/leaderboard, page 1, item at index 1 (id large): its detail cannot be had: " + url("/m/large")
                        + ": the body is longer than 1024 bytes, the most one JSON document may have"
                        + " (limits.max-document-bytes)");
    }

    @Test
    void anIndexOverTheLimitFailsTheRunNamingItsUrlAndTheSetting() throws Exception {
        server.enqueue(json("{\"files\": [\"" + "f".repeat(2000) + "\"]}"));
        PullDefinition pull = new PullBuilder(url("/index")).index("$.files", null, false).maxDocumentBytes(1024)
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isEqualTo("halo/leaderboard: the index " + url("/index") + ": the body is longer"
                + " than 1024 bytes, the most one JSON document may have (limits.max-document-bytes)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}

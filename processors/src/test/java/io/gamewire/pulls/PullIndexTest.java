package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Index pulls: an index lists monthly archives, each pulled with its own ETag and closed once a later one exists. */
class PullIndexTest extends PullTestSupport {

    /** What the publisher serves now, by path; the archives answer 304 to their current ETag. */
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final List<String> asked = new ArrayList<>();

    private void serve() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                synchronized (asked) {
                    asked.add(path + (request.getHeaders().get("If-None-Match") == null ? ""
                            : " " + request.getHeaders().get("If-None-Match")));
                }
                String body = bodies.get(path);
                if (body == null) {
                    return new MockResponse.Builder().code(500).body("archive unavailable").build();
                }
                String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
                if (etag.equals(request.getHeaders().get("If-None-Match"))) {
                    return new MockResponse.Builder().code(304).build();
                }
                return json(body).newBuilder().addHeader("ETag", etag).build();
            }
        });
    }

    private String archives(String... months) {
        StringBuilder json = new StringBuilder("{\"archives\": [");
        for (int i = 0; i < months.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(url("/games/" + months[i])).append('"');
        }
        return json.append("]}").toString();
    }

    private PullDefinition pull(Function<PullBuilder, PullBuilder> more) {
        return more.apply(new PullBuilder(url("/archives")).conditional().jsonItems("$.games")
                .emit("$", "$.url").index("$.archives", null, false)
                .limits(10, 1, Duration.ofSeconds(30), 3, Duration.ofMinutes(5))).build();
    }

    private static String games(String... ids) {
        StringBuilder json = new StringBuilder("{\"games\": [");
        for (int i = 0; i < ids.length; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"url\": \"").append(ids[i]).append("\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void closedMonthsAreNeverFetchedAgainTheCurrentOneUntilItClosesAndNewOnesAreRead() throws Exception {
        serve();
        bodies.put("/archives", archives("2026/01", "2026/02"));
        bodies.put("/games/2026/01", games("g1", "g2"));
        bodies.put("/games/2026/02", games("g3"));
        PullDefinition pull = pull(b -> b);

        PullResult first = runner.run(TITLE, pull);
        assertThat(first.failure()).isNull();
        assertThat(first.pages()).isEqualTo(2);
        assertThat(publisher.ids()).containsExactly("g1", "g2", "g3");

        // February grows, March appears: February is read once more (its ETag changed), then closed
        bodies.put("/archives", archives("2026/01", "2026/02", "2026/03"));
        bodies.put("/games/2026/02", games("g3", "g4"));
        bodies.put("/games/2026/03", games("g5"));
        asked.clear();
        assertThat(runner.run(TITLE, pull).failure()).isNull();
        assertThat(publisher.ids()).containsExactly("g1", "g2", "g3", "g4", "g5");
        assertThat(asked).hasSize(3).startsWith("/archives").element(1).asString()
                .startsWith("/games/2026/02 \"");
        assertThat(asked.get(2)).isEqualTo("/games/2026/03");

        // only the current month, with its ETag: 304
        asked.clear();
        PullResult third = runner.run(TITLE, pull);
        assertThat(asked).hasSize(2).element(1).asString().startsWith("/games/2026/03 \"");
        assertThat(third.failure()).isNull();
        assertThat(publisher.ids()).hasSize(5);
    }

    @Test
    void aLongHistoryIsBackfilledOldestFirstOverRunsOfMaxPages() throws Exception {
        serve();
        bodies.put("/archives", archives("2025/11", "2025/12", "2026/01"));
        bodies.put("/games/2025/11", games("a"));
        bodies.put("/games/2025/12", games("b"));
        bodies.put("/games/2026/01", games("c"));
        PullDefinition pull = pull(b -> b.limits(2, 1, Duration.ofSeconds(30), 3, Duration.ofMinutes(5)));

        PullResult first = runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, pull);

        assertThat(first.morePages()).isTrue();
        assertThat(second.morePages()).isFalse();
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
    }

    @Test
    void aPageThatFailsIsReportedTheOthersAreReadAndTheNextRunTriesItAgain() throws Exception {
        serve();
        bodies.put("/archives", archives("2025/12", "2026/01", "2026/02"));
        bodies.put("/games/2025/12", games("a"));
        bodies.put("/games/2026/02", games("c"));
        PullDefinition pull = pull(b -> b);

        PullResult first = runner.run(TITLE, pull);

        assertThat(first.failure()).isEqualTo("halo/leaderboard: 1 index page(s) failed, the others were read:"
                + " page 2: HTTP 500 from " + url("/games/2026/01") + ": archive unavailable");
        assertThat(publisher.ids()).containsExactly("a", "c");

        bodies.put("/games/2026/01", games("b"));
        asked.clear();
        assertThat(runner.run(TITLE, pull).failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "c", "b");
        assertThat(asked).contains("/games/2026/01").doesNotContain("/games/2025/12");
    }

    @Test
    void idsGoIntoTheIndexUrlAndANewestFirstIndexIsReadOldestFirst() throws Exception {
        serve();
        bodies.put("/archives", "{\"months\": [\"2026-02\", \"2026-01\"]}");
        bodies.put("/m/2026-01", games("old"));
        bodies.put("/m/2026-02", games("new"));
        PullDefinition pull = new PullBuilder(url("/archives")).jsonItems("$.games").emit("$", "$.url")
                .index("$.months", url("/m/") + "{$}", true).build();

        assertThat(runner.run(TITLE, pull).failure()).isNull();

        assertThat(publisher.ids()).containsExactly("old", "new");
    }

    @Test
    void aCurrentPageThatAnswers304WhenALaterOneAppearsIsClosedAllTheSame() throws Exception {
        serve();
        bodies.put("/archives", archives("2026/01"));
        bodies.put("/games/2026/01", games("a"));
        PullDefinition pull = pull(b -> b);
        runner.run(TITLE, pull);

        bodies.put("/archives", archives("2026/01", "2026/02"));
        bodies.put("/games/2026/02", games("b"));
        asked.clear();
        runner.run(TITLE, pull);
        assertThat(asked.get(1)).as("January, unchanged: 304").startsWith("/games/2026/01 \"");

        asked.clear();
        runner.run(TITLE, pull);
        assertThat(asked).as("January closed").hasSize(2).doesNotContain("/games/2026/01");
        assertThat(publisher.ids()).containsExactly("a", "b");
    }

    @Test
    void entriesOnAnotherHostAreRefusedRelativeOnesResolvedAndRepeatsReadOnce() throws Exception {
        serve();
        bodies.put("/archives", "{\"archives\": [\"games/2026/01\", \"https://elsewhere.example/steal\","
                + " \"" + url("/games/2026/01") + "\"]}");
        bodies.put("/games/2026/01", games("a"));

        PullResult result = runner.run(TITLE, pull(b -> b));

        assertThat(result.failure()).isEqualTo("halo/leaderboard: 1 index page(s) failed, the others were read:"
                + " page 1: the index entry 'https://elsewhere.example/steal' is not on http://" + server.getHostName()
                + ":" + server.getPort() + ": the pull's credentials go only to the index's own host");
        assertThat(asked).containsExactly("/archives", "/games/2026/01");
        assertThat(publisher.ids()).containsExactly("a");
    }

    @Test
    void aGzippedIndexIsReadAndIndexUrlTakesEnvironmentVariables() throws Exception {
        okio.Buffer gzipped = new okio.Buffer();
        try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(gzipped))) {
            sink.writeUtf8("{\"months\": [\"2026-01\"]}");
        }
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(gzipped).build());
        server.enqueue(json(games("x")));
        environment.put("ARCHIVE_BASE", url("/m").replaceAll("/m$", ""));
        PullDefinition pull = new PullBuilder(url("/archives")).jsonItems("$.games").emit("$", "$.url")
                .index("$.months", "{env:ARCHIVE_BASE}/m/{$}", false).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(take().getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(take().getTarget()).isEqualTo("/m/2026-01");
        assertThat(publisher.ids()).containsExactly("x");
    }

    @Test
    void anIndexWithoutItsArrayFailsNamingThePath() throws Exception {
        serve();
        bodies.put("/archives", "{\"other\": []}");

        PullResult result = runner.run(TITLE, pull(b -> b));

        assertThat(result.failure()).isEqualTo("halo/leaderboard: the index " + url("/archives")
                + " has no array at $.archives");
    }
}

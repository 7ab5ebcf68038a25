package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.RateShare;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Two-step pulls: a list of ids, then one detail request per new id, published in the list's order. */
class PullFollowTest extends PullTestSupport {

    private static final Rate FOUR_AT_ONCE = new Rate(4, 0, null, Duration.ofSeconds(1), RateShare.HOST);

    @Test
    void eachListedIdIsFollowedToItsDetailAndTheDetailsKeepTheListsOrder() throws Exception {
        CountDownLatch lastAsked = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String path = request.getUrl().encodedPath();
                if (path.equals("/ids")) {
                    return json("[\"EU1_1\", \"EU1_2\", \"EU1 3\"]");
                }
                if (path.endsWith("EU1%203")) {
                    lastAsked.countDown();
                } else if (!lastAsked.await(10, TimeUnit.SECONDS)) {
                    // the first two answer only after the third was asked for: they complete last
                    return new MockResponse.Builder().code(400).body("the details were not asked for at once")
                            .build();
                }
                String id = request.getUrl().pathSegments().get(1);
                return json("{\"matchId\": \"" + id + "\", \"duration\": 1800}");
            }
        });
        PullDefinition pull = new PullBuilder(url("/ids")).emit("$", "$").rate(FOUR_AT_ONCE)
                .follow(url("/matches/") + "{$}", false, 3).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("EU1_1", "EU1_2", "EU1 3");
        assertThat(publisher.published).extracting(RecordingPublisher.Published::payload).containsExactly(
                "{\"matchId\":\"EU1_1\",\"duration\":1800}", "{\"matchId\":\"EU1_2\",\"duration\":1800}",
                "{\"matchId\":\"EU1 3\",\"duration\":1800}");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void mergeEmitsTheListItemWithItsDetailOverIt() throws Exception {
        server.enqueue(json("[{\"id\": 7, \"name\": \"from the list\", \"rank\": 1}]"));
        server.enqueue(json("{\"name\": \"from the detail\", \"score\": 99}"));
        PullDefinition pull = new PullBuilder(url("/list")).follow(url("/items/") + "{$.id}?full=1", true, 2).build();

        runner.run(TITLE, pull);

        take();
        assertThat(take().getTarget()).isEqualTo("/items/7?full=1");
        assertThat(publisher.published.get(0).payload())
                .isEqualTo("{\"id\":7,\"name\":\"from the detail\",\"rank\":1,\"score\":99}");
    }

    @Test
    void aDetailThatWillNeverBeHadDeadLettersItsItemAndTheRunGoesPastIt() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/list")) {
                    return json("[{\"id\": \"a\", \"t\": 1}, {\"id\": \"b\", \"t\": 2}, {\"id\": \"c\", \"t\": 3},"
                            + " {\"t\": 4}]");
                }
                if (path.equals("/d/b")) {
                    return new MockResponse.Builder().code(404).body("no such match").build();
                }
                return json("{\"detail\": \"" + path + "\"}");
            }
        });
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$.t").rate(FOUR_AT_ONCE)
                .watermark("since", "$.t", WatermarkKind.ID, "0")
                .follow(url("/d/") + "{$.id}", false, 2).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("1", "3");
        assertThat(publisher.deadLettered).extracting(RecordingPublisher.DeadLettered::reason).containsExactly(
                "pull halo/leaderboard, page 1, item at index 1 (id 2): its detail cannot be had: HTTP 404 from "
                        + url("/d/b") + ": no such match",
                "pull halo/leaderboard, page 1, item at index 3 (id 4): its detail cannot be had: it has nothing at"
                        + " $.id for follow.url");
        assertThat(result.itemsDeadLettered()).isEqualTo(2);
        assertThat(storedWatermark("leaderboard")).isEqualTo("4");
    }

    @Test
    void aDetailThatMayComeLaterFailsTheRunAtThePagesEndAndTheNextRunTriesItAgain() throws Exception {
        server.setDispatcher(new Dispatcher() {
            private int asked;

            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/list")) {
                    return json("[\"a\", \"b\", \"c\", \"d\"]");
                }
                if (path.equals("/d/b") && asked++ == 0) {
                    return new MockResponse.Builder().code(503).body("overloaded").build();
                }
                return json("{\"detail\": \"" + path + "\"}");
            }
        });
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$")
                .limits(10, 1, Duration.ofSeconds(30), 3, Duration.ofMinutes(5))
                .follow(url("/d/") + "{$}", false, 1).build();

        PullResult first = runner.run(TITLE, pull);

        assertThat(first.failure()).isEqualTo("halo/leaderboard: page 1: the detail of item at index 1 (id b): HTTP"
                + " 503 from " + url("/d/b") + ": overloaded; the page's 2 later item(s) were not followed; the items"
                + " before it were published, the next run lists the page again");
        assertThat(publisher.ids()).containsExactly("a");
        assertThat(publisher.deadLettered).isEmpty();

        PullResult second = runner.run(TITLE, pull);
        assertThat(second.failure()).isNull();
        assertThat(second.duplicatesSkipped()).isEqualTo(1);
        assertThat(publisher.ids()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void detailsThatAreNotJsonAreDeadLetteredNamingTheUrl() throws Exception {
        server.enqueue(json("[\"x\"]"));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>").build());
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$").follow(url("/m/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.deadLettered.get(0).reason()).endsWith("item at index 0 (id x): its detail cannot be had: "
                + url("/m/x") + " answered with content type 'text/html'; a detail must be JSON");
        assertThat(publisher.published).isEmpty();
        take();
        assertThat(take().getHeaders().get("Accept")).as("a detail asks for JSON").isEqualTo("application/json");
    }

    @Test
    void anNdjsonListIsReadWholeBeforeItsIdsAreFollowedOnTheSameHost() throws Exception {
        // one request in flight per host: following while the list streams would wait for the list's place
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .body("\"a\"\n\"b\"\n\"c\"\n").build());
        for (int i = 0; i < 3; i++) {
            server.enqueue(json("{}"));
        }
        PullDefinition pull = new PullBuilder(url("/list")).ndjson().emit("$", "$")
                .limits(10, 1, Duration.ofSeconds(1), 3, Duration.ofMinutes(5))
                .follow(url("/m/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "b", "c");
    }
}

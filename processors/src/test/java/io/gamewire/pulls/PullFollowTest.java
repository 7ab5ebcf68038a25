package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.RateShare;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import java.util.List;
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
                } else {
                    // the first two answer only after the third was asked for: they complete last
                    lastAsked.await(10, TimeUnit.SECONDS);
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
    void aFailedDetailIsReportedTheOthersArePublishedAndTheNextRunTriesItAgain() throws Exception {
        server.setDispatcher(new Dispatcher() {
            private int asked;

            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/list")) {
                    return json("[{\"id\": \"a\", \"t\": 1}, {\"id\": \"b\", \"t\": 2}, {\"id\": \"c\", \"t\": 3},"
                            + " {\"t\": 4}]");
                }
                if (path.equals("/d/b") && asked++ == 0) {
                    return new MockResponse.Builder().code(404).body("no such match").build();
                }
                return json("{\"detail\": \"" + path + "\"}");
            }
        });
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$.t").rate(FOUR_AT_ONCE)
                .watermark("since", "$.t", WatermarkKind.ID, "0")
                .follow(url("/d/") + "{$.id}", false, 2).build();

        PullResult first = runner.run(TITLE, pull);

        assertThat(first.failure()).isEqualTo("halo/leaderboard: page 1: 2 detail(s) failed, the page's other items"
                + " were published: item at index 1 (id 2): HTTP 404 from " + url("/d/b") + ": no such match;"
                + " item at index 3 (id 4): it has nothing at $.id for follow.url; the watermark stays at none");
        assertThat(publisher.ids()).containsExactly("1", "3");
        assertThat(storedWatermark("leaderboard")).isNull();

        PullResult second = runner.run(TITLE, pull);
        assertThat(second.duplicatesSkipped()).isEqualTo(2);
        assertThat(publisher.ids()).containsExactly("1", "3", "2");
        assertThat(second.failure()).contains("item at index 3 (id 4): it has nothing at $.id");
    }

    @Test
    void detailsThatAreNotJsonFailTheirItemNamingTheUrl() throws Exception {
        server.enqueue(json("[\"x\"]"));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>").build());
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$").follow(url("/m/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).contains("item at index 0 (id x): " + url("/m/x")
                + " answered with content type 'text/html'; a detail must be JSON");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aDetailOnTheSameHostWaitsForThePagesPlaceInFlight() throws Exception {
        // the default budget, one request at a time: the list's body is read before any detail goes
        server.enqueue(json("[\"a\", \"b\"]"));
        server.enqueue(json("{}"));
        server.enqueue(json("{}"));
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$").follow(url("/m/") + "{$}", false, 4).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(List.of(take().getTarget(), take().getTarget(), take().getTarget()))
                .containsExactly("/list", "/m/a", "/m/b");
    }
}

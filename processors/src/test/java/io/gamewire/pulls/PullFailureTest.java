package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Runs that fail: a malformed page, a wrong content type, an item without id, a missing secret,
 * a publish the broker did not confirm. Each names the pull and the position; the watermark stays
 * at the last page whose events were all confirmed.
 */
class PullFailureTest extends PullTestSupport {

    private PullDefinition cursorPull() {
        return new PullBuilder(url("/leaderboard")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.ts", WatermarkKind.ID, "0").build();
    }

    @Test
    void aTruncatedJsonPagePublishesNothingOfItAndFailsTheRunNamingUrlAndByte() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}, {\"id\": \"b\", \"ts\": 2}], \"next\": \"c2\"}"));
        server.enqueue(json("{\"items\": [{\"id\": \"c\", \"ts\": 3}, {\"id\": \"d\", \"ts\""));

        PullResult result = runner.run(TITLE, cursorPull());

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.FAILED);
        assertThat(result.failure())
                .startsWith("halo/leaderboard: page 2 (" + url("/leaderboard?since=0&cursor=c2") + "): malformed JSON"
                        + " at byte 49 (line 1, column 50), in the item at index 1: Unexpected end-of-input")
                .endsWith("; nothing of the page was published (a JSON document is published only once it parsed"
                        + " whole); the watermark stays at 2");
        assertThat(result.pages()).isEqualTo(1);
        assertThat(storedWatermark("leaderboard")).isEqualTo("2");
        // page 1 stays published; nothing of the broken page 2, whose whole first item cannot be trusted
        assertThat(publisher.ids()).containsExactly("a", "b");
        assertThat(runner.state(TITLE, "leaderboard").lastError()).isEqualTo(result.failure());

        server.enqueue(json("{\"items\": [{\"id\": \"c\", \"ts\": 3}, {\"id\": \"d\", \"ts\": 4}]}"));
        PullResult again = runner.run(TITLE, cursorPull());
        assertThat(take().getUrl().queryParameter("since")).isEqualTo("0");
        take();
        assertThat(take().getUrl().queryParameter("since")).isEqualTo("2");
        assertThat(again.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("a", "b", "c", "d");
        assertThat(runner.state(TITLE, "leaderboard").lastError()).isNull();
        assertThat(storedWatermark("leaderboard")).isEqualTo("4");
    }

    @Test
    void aBodyCutAfterTheItemsStillFailsThePage() throws Exception {
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}], \"next\": \"c"));

        PullResult result = runner.run(TITLE, cursorPull());

        assertThat(result.failure()).contains("page 1 (" + url("/leaderboard?since=0") + "): malformed JSON at byte").contains("after 1 item");
        assertThat(storedWatermark("leaderboard")).isNull();
    }

    @Test
    void anHtmlPageWhereJsonWasExpectedFailsTheRun() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html; charset=utf-8")
                .body("<html><body>Login</body></html>").build());

        PullResult result = runner.run(TITLE, cursorPull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: " + url("/leaderboard?since=0")
                + " answered with content type 'text/html; charset=utf-8'; body.format json-items needs"
                + " application/json (or a +json type)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void anObjectWhereTheArrayWasExpectedIsMalformed() throws Exception {
        server.enqueue(json("{\"error\": \"oops\"}"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/x")).build());

        assertThat(result.failure()).contains("page 1 (" + url("/x") + "): the body should be a JSON array of items but"
                + " starts with an object");
    }

    @Test
    void anItemWithoutAnIdFailsTheRunNamingItsIndex() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"name\": \"no id\"}, {\"id\": \"c\"}]"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/x")).build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: item at index 1 has no id at $.id");
        assertThat(publisher.ids()).containsExactly("a");
    }

    @Test
    void aPublishTheBrokerDidNotConfirmKeepsThePagesStateUnstored() throws Exception {
        publisher.confirm = id -> id.equals("b")
                ? CompletableFuture.failedFuture(new IllegalStateException("the broker did not confirm within 5000 ms"))
                : CompletableFuture.completedFuture(null);
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}, {\"id\": \"b\", \"ts\": 2},"
                + " {\"id\": \"c\", \"ts\": 3}]}"));

        PullResult result = runner.run(TITLE, cursorPull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: item at index 1 (id b) was not published:"
                + " the broker did not confirm within 5000 ms; the watermark stays at none");
        assertThat(result.itemsPublished()).isEqualTo(2);
        assertThat(storedWatermark("leaderboard")).isNull();
        assertThat(publisher.closedOrders).as("a failed run closes its publish order too").containsExactly(0);

        // the next run re-fetches; what was confirmed is not published again
        publisher.confirm = id -> CompletableFuture.completedFuture(null);
        server.enqueue(json("{\"items\": [{\"id\": \"a\", \"ts\": 1}, {\"id\": \"b\", \"ts\": 2},"
                + " {\"id\": \"c\", \"ts\": 3}]}"));
        PullResult again = runner.run(TITLE, cursorPull());
        assertThat(again.itemsPublished()).isEqualTo(1);
        assertThat(again.duplicatesSkipped()).isEqualTo(2);
        // the item re-sent comes after the ones published after it the first time: a retry keeps no order
        assertThat(publisher.ids()).containsExactly("a", "b", "c", "b");
        assertThat(publisher.publishOrders()).extracting(io.gamewire.bus.PublishOrder::lane)
                .containsExactly(0, 0, 0, 1);
        assertThat(storedWatermark("leaderboard")).isEqualTo("3");
    }

    @Test
    void aPublisherThatThrowsFailsTheRunToo() throws Exception {
        publisher.confirm = id -> {
            throw new IllegalArgumentException("payload lacks required field 'map'");
        };
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/x")).build());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: item at index 0 (id a) was not published:"
                + " payload lacks required field 'map'");
    }

    @Test
    void aMissingSecretFailsTheRunNamingTheVariableBeforeAnyRequest() {
        PullDefinition pull = new PullBuilder(url("/x")).auth(new Auth(AuthKind.BEARER, null, "HALO_STATS_TOKEN"))
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isEqualTo("halo/leaderboard: environment variable HALO_STATS_TOKEN is not set;"
                + " it holds the secret of the pull's auth (bearer)");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aMissingUrlVariableFailsTheRunNamingIt() {
        PullDefinition pull = new PullBuilder("{env:HALO_API}/v1/stats").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isEqualTo("halo/leaderboard: environment variable HALO_API is not set;"
                + " its URL needs it");
    }

    @Test
    void secretsGoWhereTheAuthKindSaysAndNeverIntoMessages() throws Exception {
        environment.put("HALO_API", url("/api").replaceAll("/api$", ""));
        environment.put("HALO_TOKEN", "s3cr3t token");
        environment.put("HALO_REGION", "eu-west");
        server.enqueue(json("[]"));
        server.enqueue(json("[]"));
        server.enqueue(new MockResponse.Builder().code(403).body("forbidden").build());

        runner.run(TITLE, new PullBuilder("{env:HALO_API}/bearer").auth(new Auth(AuthKind.BEARER, null, "HALO_TOKEN"))
                .headers(params("X-Region", "{env:HALO_REGION}")).build());
        runner.run(TITLE, new PullBuilder("{env:HALO_API}/header").auth(new Auth(AuthKind.HEADER, "X-Api-Key",
                "HALO_TOKEN")).build());
        PullResult query = runner.run(TITLE, new PullBuilder("{env:HALO_API}/query?x=1").auth(new Auth(AuthKind.QUERY,
                "api_key", "HALO_TOKEN")).build());

        RecordedRequest bearer = take();
        assertThat(bearer.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t token");
        assertThat(bearer.getHeaders().get("X-Region")).isEqualTo("eu-west");
        assertThat(take().getHeaders().get("X-Api-Key")).isEqualTo("s3cr3t token");
        RecordedRequest byQuery = take();
        assertThat(byQuery.getUrl().queryParameter("api_key")).isEqualTo("s3cr3t token");
        assertThat(byQuery.getTarget()).isEqualTo("/query?x=1&api_key=s3cr3t%20token");
        assertThat(query.failure()).isEqualTo("halo/leaderboard: page 1: HTTP 403 from " + url("/query")
                + "?x=1&api_key=***: forbidden").doesNotContain("s3cr3t");
    }
}

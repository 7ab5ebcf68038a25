package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/** 429, 503, network errors: Retry-After honoured, else back-off with jitter; other 4xx fail at once. */
class PullRetryTest extends PullTestSupport {

    private PullDefinition pull() {
        return new PullBuilder(url("/leaderboard")).limits(10, 4, Duration.ofSeconds(30), 3, Duration.ofMinutes(5))
                .build();
    }

    @Test
    void a429WithRetryAfterSecondsIsRetriedOnceAfterThatWait() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2")
                .body("{\"error\": \"slow down\"}").build());
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(publisher.ids()).containsExactly("a");
        assertThat(counter(PullMetrics.RETRIED, "title", TITLE, "pull", "leaderboard")).isEqualTo(1);
    }

    @Test
    void retryAfterAsAnHttpDateIsAWaitUntilThen() throws Exception {
        // the test clock stands at 2026-01-01T00:00:00Z, a Thursday
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "Thu, 01 Jan 2026 00:00:07 GMT")
                .build());
        server.enqueue(json("[]"));

        runner.run(TITLE, pull());

        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void aRetryAfterBeyondMaxBackoffIsNotShortenedButEndsTheRunAndHoldsTheHost() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());
        server.enqueue(json("[]"));
        server.enqueue(json("[]"));

        PullResult first = runner.run(TITLE, pull());
        PullResult other = runner.run(TITLE, new PullBuilder(url("/other")).name("other").build());

        assertThat(first.failure()).isEqualTo("halo/leaderboard: page 1: HTTP 429 with Retry-After 3600 from "
                + url("/leaderboard") + ": the publisher asks for 3600 s, longer than limits.max-backoff 30 s;"
                + " no pull of this instance sends to http://" + server.getHostName() + ":" + server.getPort()
                + " before 2026-01-01T01:00:00Z");
        assertThat(other.failure()).startsWith("halo/other: page 1: not sent to " + url("/other") + ": http://")
                .contains("takes no request before 2026-01-01T01:00:00Z (HTTP 429 with Retry-After 3600 to "
                        + url("/leaderboard") + "), 3600 s from now: longer than limits.max-backoff 30 s");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();

        clock.advance(Duration.ofHours(1));
        assertThat(runner.run(TITLE, pull()).failure()).isNull();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a429WithoutRetryAfterWaitsAfter429DoublingEachTime() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(json("[{\"id\": \"a\"}]"));
        PullDefinition minute = new PullBuilder(url("/leaderboard"))
                .limits(10, 4, Duration.ofMinutes(5), 3, Duration.ofMinutes(5))
                .rate(new PullDefinition.Rate(1, 0, null, Duration.ofMinutes(1), PullDefinition.RateShare.HOST))
                .build();

        PullResult result = runner.run(TITLE, minute);

        assertThat(result.failure()).isNull();
        assertThat(sleeps).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2));
    }

    @Test
    void a503WithoutRetryAfterBacksOffExponentiallyWithJitter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(502).build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(500));
        assertThat(sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(1000));
        assertThat(sleeps.get(2)).isBetween(Duration.ZERO, Duration.ofMillis(2000));
    }

    @Test
    void afterMaxAttemptsTheRunFailsSayingHowOftenItTried() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse.Builder().code(503).body("maintenance").build());
        }

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: HTTP 503 from " + url("/leaderboard")
                + " after 4 attempts: maintenance");
        assertThat(sleeps).hasSize(3);
        assertThat(counter(PullMetrics.RUNS, "outcome", "failed")).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        // three connections closed before any answer: Java's HttpClient may itself resend a GET once
        // on a closed connection, so the engine sees one to three of them as network errors
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket(true, true, true))
                    .build());
        }
        server.enqueue(json("[{\"id\": \"a\"}]"));

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).isNull();
        assertThat(sleeps).isNotEmpty();
        assertThat(counter(PullMetrics.RETRIED, "pull", "leaderboard")).isEqualTo(sleeps.size());
        assertThat(publisher.ids()).containsExactly("a");
    }

    @Test
    void otherClientErrorsFailAtOnceWithWhatThePublisherSaid() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\": \"invalid token\"}").build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: HTTP 401 from " + url("/leaderboard")
                + ": {\"error\": \"invalid token\"}");
        assertThat(sleeps).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aSlowPublisherTimesOutAndIsRetried() throws Exception {
        server.enqueue(json("[]").newBuilder().headersDelay(3, java.util.concurrent.TimeUnit.SECONDS).build());
        server.enqueue(json("[{\"id\": \"a\"}]"));
        PullDefinition slow = new PullBuilder(url("/leaderboard")).build();
        slow = new PullDefinition(slow.name(), "", slow.schedule(), new PullDefinition.Request(slow.request().url(),
                java.util.Map.of(), slow.request().auth(), Duration.ofMillis(300), false), slow.paging(), slow.body(),
                slow.watermark(), slow.emit(), slow.limits());

        PullResult result = runner.run(TITLE, slow);

        assertThat(result.failure()).isNull();
        assertThat(sleeps).hasSize(1);
        assertThat(publisher.ids()).containsExactly("a");
    }

    @Test
    void aBodyThatStallsFailsTheRunAfterTheTimeout() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}]").newBuilder().bodyDelay(5, java.util.concurrent.TimeUnit.SECONDS)
                .build());
        PullDefinition stalling = new PullBuilder(url("/leaderboard")).build();
        stalling = new PullDefinition(stalling.name(), "", stalling.schedule(), new PullDefinition.Request(
                stalling.request().url(), java.util.Map.of(), stalling.request().auth(), Duration.ofMillis(400), false),
                stalling.paging(), stalling.body(), stalling.watermark(), stalling.emit(), stalling.limits());

        long start = System.nanoTime();
        PullResult result = runner.run(TITLE, stalling);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/leaderboard") + "): reading the body failed")
                .contains("no data for 400 ms (request.timeout)");
        assertThat(publisher.published).isEmpty();
    }
}

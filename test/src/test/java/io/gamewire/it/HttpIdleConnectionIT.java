package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that hold the HTTP port without sending a request (slow loris before the body), over
 * a raw socket: {@code gamewire.http.header-timeout-ms} after connecting, or after the last answer
 * on a kept-alive connection, without a whole request's headers, the connection is closed without
 * an answer; other clients are served meanwhile. Open requests are not timed: the live tail stays
 * open past the timeout. Oversized heads are refused by Vert.x's limits.
 */
class HttpIdleConnectionIT {

    private static final int TIMEOUT_MS = 1500;
    /** The earliest a close may come, allowing for the two clocks' timer granularity. */
    private static final Duration EARLIEST = Duration.ofMillis(TIMEOUT_MS - 200);
    private static final Duration LATEST = Duration.ofSeconds(10);
    private static GamewireUnderTest gw;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        adminToken = "admin-" + gw.id;
        gw.overrides.put("gamewire.http.header-timeout-ms", Integer.toString(TIMEOUT_MS));
        gw.overrides.put("gamewire.admin.token", adminToken);
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheTimeoutWhileAnotherIsServed() throws Exception {
        try (RawHttpSocket silent = new RawHttpSocket(gw.httpPort)) {
            long connected = System.nanoTime();
            // timed on a thread of its own: the other client's request may take a while on a busy machine
            CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
                try {
                    assertThat(silent.readUntilClosed()).as("closed without an answer").isEmpty();
                    return System.nanoTime();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            HttpResponse<String> other = gw.post("/v1/events/" + gw.services.get(0) + ".marker", "application/json", "{}");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(202);

            assertThat(Duration.ofNanos(closed.get(20, TimeUnit.SECONDS) - connected)).isBetween(EARLIEST, LATEST);
        }
    }

    @Test
    void headersTrickledAByteAtATimeAreClosedAtTheTimeout() throws Exception {
        try (RawHttpSocket slow = new RawHttpSocket(gw.httpPort)) {
            long connected = System.nanoTime();
            // a byte every 100 ms, each well within the timeout: the head would take 12 s
            Thread trickle = slow.trickle(head("POST", "/v1/events/" + gw.services.get(0) + ".scored", 2)
                    .replace("\r\n\r\n", "\r\nX-Pad: " + "p".repeat(20) + "\r\n\r\n"), 100);

            assertThat(slow.readUntilClosed()).as("closed without an answer").isEmpty();
            assertThat(since(connected)).isBetween(EARLIEST, LATEST);
            await().atMost(Duration.ofSeconds(5)).until(() -> !trickle.isAlive());
        }
    }

    @Test
    void aKeptAliveConnectionIdlePastTheTimeoutIsClosed() throws Exception {
        try (RawHttpSocket client = new RawHttpSocket(gw.httpPort)) {
            client.send(head("POST", "/v1/events/" + gw.services.get(0) + ".marker", 2) + "{}");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 202 ");
            long answered = System.nanoTime();

            assertThat(client.readUntilClosed()).as("nothing after the answer, then the close").isEmpty();
            assertThat(since(answered)).isBetween(EARLIEST, LATEST);
        }
    }

    @Test
    void theLiveTailStaysOpenPastTheTimeout() throws Exception {
        String service = gw.services.get(1);
        // a client of its own: gw.http()'s pooled connection may have idled just the timeout since the
        // test before, and a request sent as the server closes it is lost (the keep-alive race any server has)
        try (TailClient tail = new TailClient(HttpClient.newHttpClient(), gw.httpPort, "pattern=" + service + ".%23",
                adminToken)) {
            assertThat(tail.status()).isEqualTo(200);
            // twice the timeout, well inside the tail's 15 s keep-alive comment: silent both ways
            await("the tail stays open").during(Duration.ofMillis(2L * TIMEOUT_MS)).atMost(Duration.ofSeconds(10))
                    .until(() -> !tail.ended());

            HttpResponse<String> posted = gw.post("/v1/events/" + service + ".end", "application/json", "{}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> !tail.messages().isEmpty());
            assertThat(tail.ended()).isFalse();
        }
    }

    @Test
    void aHeadOverVertxsLimitsIsRefused431Or414() throws Exception {
        try (RawHttpSocket client = new RawHttpSocket(gw.httpPort)) {
            client.send("GET /observe/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(8192) + "\r\n\r\n");
            assertThat(client.readUntilClosed()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        }
        try (RawHttpSocket client = new RawHttpSocket(gw.httpPort)) {
            client.send("GET /observe/health?pad=" + "p".repeat(4096) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            // the request line could not be read, so neither could its version
            assertThat(client.readUntilClosed()).startsWith("HTTP/1.0 414 Request-URI Too Long\r\n");
        }
    }

    private static String head(String method, String path, int contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gw.apiKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}

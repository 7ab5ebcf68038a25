package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Clients that send their request body slowly or not at all (slow loris on the body), over a raw
 * socket: {@code gamewire.http.body-timeout-ms} after the headers they get 408 and the connection
 * is closed, nothing of them is published, and other clients are served meanwhile. Long answers
 * are not cut: the live tail stays open past the timeout.
 */
class HttpSlowUploadIT {

    private static final int TIMEOUT_MS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GamewireUnderTest gw;
    private static String adminToken;
    private static RabbitAdmin admin;
    private Queue monitor;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        adminToken = "admin-" + gw.id;
        gw.overrides.put("gamewire.http.body-timeout-ms", Integer.toString(TIMEOUT_MS));
        gw.overrides.put("gamewire.admin.token", adminToken);
        gw.start();
        admin = new RabbitAdmin(gw.bean("connectionFactory", ConnectionFactory.class));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @BeforeEach
    void monitor() {
        monitor = new Queue("gwtest" + gw.id + ".monitor" + System.nanoTime(), false, true, true);
        admin.declareQueue(monitor);
        admin.declareBinding(BindingBuilder.bind(monitor).to(new TopicExchange(gw.exchange)).with("#"));
    }

    @AfterEach
    void removeMonitor() {
        admin.deleteQueue(monitor.getName());
    }

    @Test
    void aClientThatStallsAfterTheHeadersIsAnswered408AndClosedWhileAnotherIsServed() throws Exception {
        String body = "{\"player\":\"ada\",\"points\":1}";
        try (Socket stalled = connect()) {
            long started = System.nanoTime();
            send(stalled, head("/v1/events/" + gw.services.get(0) + ".scored", body.length()) + body.substring(0, 5));

            // meanwhile, on another connection, a client is served at once
            HttpResponse<String> other = gw.post("/v1/events/" + gw.services.get(0) + ".marker", "application/json", "{}");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(TIMEOUT_MS));

            String answer = readUntilClosed(stalled);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(TIMEOUT_MS),
                    Duration.ofSeconds(10));
            assertProblem408(answer, "5 of its " + body.length() + " bytes came");
        }
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void aClientThatTricklesItsBodyByteByByteIsCutAtTheTimeout() throws Exception {
        String body = "{\"player\":\"ada\",\"points\":1," + "\"pad\":\"" + "x".repeat(40) + "\"}";
        AtomicBoolean cut = new AtomicBoolean();
        try (Socket slow = connect()) {
            send(slow, head("/v1/events/" + gw.services.get(0) + ".scored", body.length()));
            long started = System.nanoTime();
            // one byte every 200 ms: the whole body would take 14 s, each byte well within the timeout
            Thread trickle = new Thread(() -> {
                try {
                    for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                        slow.getOutputStream().write(b);
                        slow.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (IOException e) {
                    cut.set(true); // closed by the server, as expected
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "http-trickle");
            trickle.setDaemon(true);
            trickle.start();

            String answer = readUntilClosed(slow);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
            assertProblem408(answer, "of its " + body.length() + " bytes came");
            await().atMost(Duration.ofSeconds(10)).untilTrue(cut);
            trickle.interrupt();
        }
        assertThat(gw.post("/v1/events/" + gw.services.get(0) + ".marker", "application/json", "{}").statusCode())
                .isEqualTo(202);
        assertOnlyTheMarkerWasPublished();
    }

    @Test
    void theLiveTailStaysOpenPastTheTimeout() throws Exception {
        String service = gw.services.get(1);
        try (TailClient tail = new TailClient(gw.http(), gw.httpPort, "pattern=" + service + ".%23", adminToken)) {
            assertThat(tail.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.queue() != null);
            // twice the body timeout without a byte from either side, then an event still reaches the tail
            await("the tail stays open").during(Duration.ofMillis(2L * TIMEOUT_MS)).atMost(Duration.ofSeconds(10))
                    .until(() -> !tail.ended());

            HttpResponse<String> posted = gw.post("/v1/events/" + service + ".end", "application/json", "{}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String id = JSON.readTree(posted.body()).get("messageId").asText();

            await().atMost(Duration.ofSeconds(10)).until(() -> tail.messages().stream().anyMatch(e -> id.equals(e.id())));
        }
    }

    private static String head(String path, int contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + gw.apiKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static void assertProblem408(String answer, String came) throws IOException {
        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("content-type: application/json");
        JsonNode problem = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(408);
        assertThat(problem.get("error").asText()).isEqualTo("Request Timeout");
        assertThat(problem.get("message").asText())
                .startsWith("the request body did not arrive within " + TIMEOUT_MS
                        + " ms of its headers (gamewire.http.body-timeout-ms): ")
                .contains(came);
    }

    /** The monitor, bound to everything on the events exchange, holds exactly the one accepted marker. */
    private void assertOnlyTheMarkerWasPublished() {
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo(monitor.getName()).getMessageCount() >= 1);
        assertThat(admin.getQueueInfo(monitor.getName()).getMessageCount()).isEqualTo(1);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gw.httpPort);
        socket.setSoTimeout(15_000); // fails the test if the server never answers nor closes
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server sends until it closes the connection. */
    private static String readUntilClosed(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

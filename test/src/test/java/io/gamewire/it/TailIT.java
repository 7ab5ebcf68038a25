package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.testsupport.RealServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.condition.EnabledIf;
import io.gamewire.GamewireMain;
import io.gamewire.cli.ServerSentEvent;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.tail.Tail;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The live tail, end to end on the stack the build runs: matching events streamed as Server-Sent
 * Events with redacted fields masked, dead letters only when asked, at most gamewire.ops.max-tails
 * at once, the binding gone once the client leaves, a slow client told what it lost, and
 * {@code gamewire tail --limit 2}.
 */
class TailIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 20;
    private static GamewireUnderTest gw;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        token = "admin-" + gw.id;
        gw.overrides.put("gamewire.admin.token", token);
        gw.overrides.put("gamewire.ops.tail-buffer", Integer.toString(BUFFER));
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static TailClient tail(String query) throws Exception {
        TailClient tail = new TailClient(gw.http(), gw.httpPort, query, token);
        if (tail.status() == 200) {
            // the opening comment comes once the queue is bound: from then on every event is seen
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.queue() != null);
        }
        return tail;
    }

    private static Tails tails() {
        return gw.bean("tails", Tails.class);
    }

    /** The one open tail, once bound (its queue has a name): events published from then on reach it. */
    private static Tail oneBoundTail() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> tails().openTails(),
                open -> open.size() == 1 && open.get(0).queue() != null).get(0);
    }

    private static String post(String key, String json) throws Exception {
        var response = gw.post("/v1/events/" + key, "application/json", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("messageId").asText();
    }

    @Test
    void matchingEventsAreStreamedWithRedactedFieldsMaskedAndNothingElse() throws Exception {
        String prod = gw.title + ".prod.scores";
        try (TailClient tail = tail("pattern=" + prod + ".*")) {
            assertThat(tail.response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            String signup = post(prod + ".signup", "{\"player\": \"ada\", \"email\": \"ada@example.org\"}");
            post(gw.title + ".dev.scores.match_end", "{\"n\": 1}");
            String matchEnd = post(prod + ".match_end", "{\"n\": 2}");

            await().atMost(Duration.ofSeconds(10)).until(() -> tail.messages().size() >= 2);
            List<ServerSentEvent> messages = tail.messages();
            assertThat(messages).extracting(ServerSentEvent::id).containsExactly(signup, matchEnd);
            JsonNode first = messages.get(0).json();
            assertThat(first.get("exchange").asText()).isEqualTo("events");
            assertThat(first.get("routingKey").asText()).isEqualTo(prod + ".signup");
            assertThat(first.get("messageId").asText()).isEqualTo(signup);
            assertThat(first.get("type").asText()).isEqualTo("EVENT");
            assertThat(first.get("receivedAt").asLong()).isPositive();
            assertThat(first.get("attributes").has("gw-received-at")).isTrue();
            assertThat(first.get("payload")).isEqualTo(JSON.readTree("{\"player\": \"ada\", \"email\": \"***\"}"));
            assertThat(messages.get(1).json().get("payload")).isEqualTo(JSON.readTree("{\"n\": 2}"));
            // the secret is nowhere in the stream, nor is the dev event
            assertThat(String.join("\n", messages.stream().map(ServerSentEvent::data).toList()))
                    .doesNotContain("ada@example.org").doesNotContain(".dev.");
        }
    }

    @Test
    void deadLettersAreSeenOnlyByATailThatAsksForThem() throws Exception {
        String service = gw.services.get(1);
        try (TailClient plain = tail("pattern=" + service + ".%23");
             TailClient withDead = tail("pattern=" + service + ".%23&deadLetters=true")) {
            java.util.UUID id = MessageIds.next();
            byte[] frame = new EnvelopeCodec().encode(Envelope.event(id, System.currentTimeMillis(), "application/json",
                    service + ".end", "{\"dead\": true}".getBytes(StandardCharsets.UTF_8)));
            new RabbitTemplate(gw.bean("connectionFactory", CachingConnectionFactory.class)).send(gw.deadLetterExchange,
                    service + ".end", MessageBuilder.withBody(frame).setMessageId(id.toString())
                            .setContentType("application/x-gwp").setHeader("gw-dlq-reason", "token=abc").build());
            String marker = post(service + ".marker", "{}");

            await().atMost(Duration.ofSeconds(10)).until(() -> withDead.messages().size() >= 2 && plain.messages().size() >= 1);
            // two exchanges, two publishing channels: the broker does not order one against the other
            assertThat(withDead.messages()).extracting(ServerSentEvent::id).containsExactlyInAnyOrder(id.toString(), marker);
            ServerSentEvent deadEvent = withDead.messages().stream().filter(m -> m.id().equals(id.toString()))
                    .findFirst().orElseThrow();
            JsonNode dead = deadEvent.json();
            assertThat(dead.get("exchange").asText()).isEqualTo("dead-letters");
            assertThat(dead.get("payload").get("dead").asBoolean()).isTrue();
            assertThat(deadEvent.data()).doesNotContain("gw-dlq-reason").doesNotContain("token=abc");
            assertThat(plain.messages()).extracting(ServerSentEvent::id).containsExactly(marker);
        }
    }

    @Test
    void atMostMaxTailsAreOpenAndABadRequestIsNamed() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> tails().openCount() == 0);
        List<TailClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(tail("pattern=" + gw.title + ".%23"));
            }
            assertThat(open).allSatisfy(tail -> assertThat(tail.status()).isEqualTo(200));
            try (TailClient eleventh = tail("pattern=" + gw.title + ".%23")) {
                assertThat(eleventh.status()).isEqualTo(429);
                assertThat(eleventh.refusal()).contains("gamewire.ops.max-tails");
            }
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> tails().openCount() == 9);
            open.add(tail("pattern=" + gw.title + ".%23"));
            assertThat(open.get(9).status()).isEqualTo(200);
        } finally {
            for (TailClient tail : open) {
                tail.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tails().openCount() == 0);

        try (TailClient bad = tail("pattern=" + gw.title + ".Prod.%23")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.refusal()).contains("parameter 'pattern': ", "word 2 'Prod'");
        }
        try (TailClient bad = tail("pattern=%23&deadLetters=yes")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.refusal()).contains("parameter 'deadLetters' must be true or false, was 'yes'");
        }
        try (TailClient bad = tail("pattern=%23&limit=0")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.refusal()).contains("parameter 'limit' must be a whole number from 1 to 1000000, was '0'");
        }
        try (TailClient none = new TailClient(gw.http(), gw.httpPort, "pattern=%23", null)) {
            assertThat(none.status()).isEqualTo(401);
        }
        try (TailClient apiKey = new TailClient(gw.http(), gw.httpPort, "pattern=%23", gw.apiKey)) {
            // a bearer token that is not the admin token
            assertThat(apiKey.status()).isEqualTo(403);
        }
    }

    @Test
    void theTailsBindingGoesAwayWhenTheClientDisconnects() throws Exception {
        TailClient tail = tail("pattern=" + gw.title + ".%23");
        String queue = tail.queue();
        BusMonitor monitor = gw.bean("busMonitor", BusMonitor.class);
        assertThat(queue).as("the tail is fed by the bus monitor's queue").isEqualTo(monitor.queue());
        String binding = gw.exchange + " " + gw.title + ".#";
        try {
            assertThat(monitor.bindings()).contains(binding);
            assertThat(queueExists(queue)).isTrue();
            assertThat(tails().openCount()).isEqualTo(1);
        } finally {
            tail.close();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> !monitor.bindings().contains(binding) && tails().openCount() == 0);
        assertThat(gw.get("/observe/metrics").body()).contains("gamewire_tails_open 0.0");
    }

    @Test
    void aTailEndsWhenTheBusMonitorLosesItsConnectionAndANewOneWorksOnceItIsBack() throws Exception {
        BusMonitor monitor = gw.bean("busMonitor", BusMonitor.class);
        String before = monitor.queue();
        try (TailClient tail = tail("pattern=" + gw.title + ".%23")) {
            monitor.abortConnection();
            // what is published until the monitor is back could be neither shown nor counted
            await().atMost(Duration.ofSeconds(15)).until(tail::ended);
            await().atMost(Duration.ofSeconds(15)).until(() -> tails().openCount() == 0);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.isListening() && !before.equals(monitor.queue()));
        String key = gw.services.get(1) + ".match_end";
        try (TailClient again = tail("pattern=" + key)) {
            oneBoundTail();
            String id = post(key, "{\"n\": 1}");
            await().atMost(Duration.ofSeconds(15)).until(() -> again.messages().stream().anyMatch(m -> id.equals(m.id())));
        }
    }

    /**
     * Whether the broker has the queue: a passive declare on a connection of its own. A missing queue
     * is 404; an exclusive queue of another connection is refused otherwise (RabbitMQ 405 on the
     * channel, Qpid 530 on the connection), which says that it exists.
     */
    private static boolean queueExists(String queue) throws Exception {
        Connection connection = gw.bean("connectionFactory", CachingConnectionFactory.class)
                .getRabbitConnectionFactory().newConnection("tail-it");
        try {
            connection.createChannel().queueDeclarePassive(queue);
            return true;
        } catch (IOException | ShutdownSignalException e) {
            ShutdownSignalException signal = e instanceof ShutdownSignalException s ? s
                    : (ShutdownSignalException) e.getCause();
            Method reason = signal.getReason();
            int code = reason instanceof AMQP.Channel.Close close ? close.getReplyCode()
                    : ((AMQP.Connection.Close) reason).getReplyCode();
            return code != 404;
        } finally {
            if (connection.isOpen()) {
                connection.close();
            }
        }
    }

    @Test
    void aSlowClientIsToldWhatItLostAndItsTailStaysWithinItsBuffer() throws Exception {
        String key = gw.services.get(1) + ".match_end";
        int sent = 120;
        String payload = "{\"filler\": \"" + "x".repeat(100_000) + "\"}";
        try (SlowSseReader slow = new SlowSseReader(gw.httpPort, "/v1/admin/tail?pattern=" + key, token)) {
            Tail open = oneBoundTail();
            int mostBuffered = 0;
            for (int i = 0; i < sent; i++) {
                post(key, payload);
                mostBuffered = Math.max(mostBuffered, open.buffered());
            }
            assertThat(mostBuffered).isLessThanOrEqualTo(BUFFER);
            // now read: every event sent is either received or counted as dropped
            SlowSseReader.Totals totals = slow.readUntil(t -> t.messages() + t.totalDropped() >= sent, Duration.ofSeconds(60));
            assertThat(totals.totalDropped()).isPositive();
            assertThat(totals.droppedNotices()).isPositive();
            assertThat(totals.messages() + totals.totalDropped()).isEqualTo(sent);
        }
    }

    /**
     * A tail binds with gamewire's own connection factory, so only in gamewire's virtual host: an
     * event published under a matching routing key on a same-named exchange of another vhost never
     * shows. RabbitMQ only: the vhost is made and removed with its management API; the embedded
     * Qpid broker has one virtual host node and gamewire exposes no way to add another at run time.
     */
    @Test
    @EnabledIf("onRabbitMq")
    void anotherVirtualHostsTrafficIsNeverSeen() throws Exception {
        String vhost = "gwtest" + gw.id + "-other";
        String service = gw.services.get(1);
        management("PUT", "/api/vhosts/" + vhost, "{}");
        try {
            management("PUT", "/api/permissions/" + vhost + "/" + RealServices.RABBIT_USER,
                    "{\"configure\": \".*\", \"write\": \".*\", \"read\": \".*\"}");
            try (TailClient tail = tail("pattern=" + service + ".%23&deadLetters=true")) {
                ConnectionFactory other = new ConnectionFactory();
                other.setHost(RealServices.RABBIT_HOST);
                other.setPort(RealServices.RABBIT_PORT);
                other.setUsername(RealServices.RABBIT_USER);
                other.setPassword(RealServices.RABBIT_PASSWORD);
                other.setVirtualHost(vhost);
                java.util.UUID foreign = MessageIds.next();
                try (Connection connection = other.newConnection("tail-it-other-vhost")) {
                    com.rabbitmq.client.Channel channel = connection.createChannel();
                    for (String exchange : List.of(gw.exchange, gw.deadLetterExchange)) {
                        channel.exchangeDeclare(exchange, "topic");
                        channel.basicPublish(exchange, service + ".match_end", null, new EnvelopeCodec().encode(
                                Envelope.event(foreign, System.currentTimeMillis(), "application/json",
                                        service + ".match_end", "{}".getBytes(StandardCharsets.UTF_8))));
                    }
                }
                String marker = post(service + ".marker", "{}");
                await().atMost(Duration.ofSeconds(10)).until(() -> !tail.messages().isEmpty());
                assertThat(tail.messages()).extracting(ServerSentEvent::id).containsExactly(marker);
            }
        } finally {
            management("DELETE", "/api/vhosts/" + vhost, null);
        }
    }

    static boolean onRabbitMq() {
        return GamewireUnderTest.SERVICES;
    }

    /** A call of RabbitMQ's management API (port 15672 on the broker's host). */
    private static void management(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://" + RealServices.RABBIT_HOST + ":15672" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (RealServices.RABBIT_USER + ":" + RealServices.RABBIT_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        // HTTP/1.1: the management API's server closes a connection offered an upgrade to HTTP/2
        HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
    }

    /** A line of the test's log (logback-test.xml: time, level, [thread]), not of the tail. */
    private static final java.util.regex.Pattern LOG_LINE =
            java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) +\\[");

    @Test
    void gamewireTailPrintsTwoEventsAndEnds() throws Exception {
        String key = gw.services.get(1) + ".signup";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> GamewireMain.run(new String[] {
                "tail", gw.title + ".prod.#", "--limit", "2", "--url", "http://127.0.0.1:" + gw.httpPort,
                "--set", "gamewire.admin.token=" + token}));
            oneBoundTail();
            for (int i = 0; i < 3; i++) {
                post(key, "{\"player\": \"p" + i + "\", \"email\": \"p" + i + "@example.org\"}");
            }
            assertThat(status.get(20, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        // System.out is the whole JVM's while it is swapped: a log line of the in-process gamewire
        // (a pool's housekeeper warning, say) may land in it too; only the tail's own lines count
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> !LOG_LINE.matcher(line).lookingAt()).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} " + java.util.regex.Pattern.quote(key)
                + " \\S+ \\{\"player\":\"p0\",\"email\":\"\\*\\*\\*\"}");
        assertThat(lines.get(1)).contains("\"player\":\"p1\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> tails().openCount() == 0);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("@example.org");
    }
}

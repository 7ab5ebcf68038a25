package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.protocol.client.GwpErrorException;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.sql.SqlEventStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * {@code GET /v1/admin/stats} and {@code GET /v1/admin/queues} after real traffic: events over HTTP
 * and TCP, refusals on both, a poison message that is dead-lettered, a dead letter replayed; the
 * same figures on {@code /observe/metrics}. On the embedded stack the queue watch uses passive
 * declares; on RabbitMQ ({@code -Pservices}) the management API, which must be enabled there
 * ({@code rabbitmq-plugins enable rabbitmq_management}, then http://127.0.0.1:15672, guest/guest).
 */
class StatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GamewireUnderTest gw;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", "admin-" + gw.id);
        gw.overrides.put("gamewire.ops.queue-poll-interval-ms", "300");
        // as on the prod profile: ConsoleSecurityIT has it on
        gw.overrides.put("gamewire.ops.camel-cli.enabled", "false");
        if (GamewireUnderTest.SERVICES) {
            gw.overrides.put("gamewire.ops.rabbitmq-management.url", "http://127.0.0.1:15672");
        }
        gw.start();
        admin = "Bearer admin-" + gw.id;
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    private static HttpResponse<String> adminCall(String method, String path, String body) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", admin).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode adminJson(String path) throws Exception {
        HttpResponse<String> answer = adminCall("GET", path, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode key(JsonNode stats, String routingKey) {
        for (JsonNode key : stats.get("routingKeys")) {
            if (key.get("routingKey").asText().equals(routingKey)) {
                return key;
            }
        }
        return JSON.createObjectNode();
    }

    /** The sum of the samples of {@code name} whose labels include all of {@code labels}. */
    private static double metric(String metrics, String name, String... labels) {
        return metrics.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void statsAndQueuesCountWhatCrossedTheBusBySourceWithRefusalsDelaysAndDeadLetters() throws Exception {
        String service = gw.services.get(1); // <title>.prod.scores
        String matchEnd = service + ".match_end";
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/v1/events/" + matchEnd, "application/json", "{\"n\":" + i + "}").statusCode())
                    .isEqualTo(202);
        }
        // refused by its schema (points missing), over HTTP
        assertThat(gw.post("/v1/events/" + service + ".scored", "application/json", "{\"player\":\"ada\"}")
                .statusCode()).isEqualTo(400);
        UUID tcpStored;
        try (GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                .clientName("stats-it/1").build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            Envelope first = GwpSocket.event(matchEnd, "{\"n\":10}");
            tcpStored = first.messageId();
            client.send(first).get(10, TimeUnit.SECONDS);
            client.send(GwpSocket.event(matchEnd, "{\"n\":11}")).get(10, TimeUnit.SECONDS);
            // a client may not pass an event off as a replay
            Envelope forged = new Envelope(FrameType.EVENT, MessageIds.next(), null, System.currentTimeMillis(),
                    "application/json", matchEnd, Map.of("gw-source", "replay"),
                    ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> client.send(forged).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(GwpErrorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT.code()))
                    .hasMessageContaining("attribute 'gw-source'").hasMessageContaining("is reserved");
        }
        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        // not an envelope: dead-lettered by the consumer at once
        template.send(gw.exchange, service + ".end", MessageBuilder.withBody("poison".getBytes(StandardCharsets.UTF_8))
                .setMessageId("poison-" + gw.id).build());
        // a dead letter put back by the admin API counts as a replay
        UUID replayed = MessageIds.next();
        byte[] frame = new EnvelopeCodec().encode(Envelope.event(replayed, System.currentTimeMillis(),
                "application/json", service + ".dup", "{}".getBytes(StandardCharsets.UTF_8)));
        template.send(gw.deadLetterExchange, service + ".dup", MessageBuilder.withBody(frame)
                .setMessageId(replayed.toString()).setContentType("application/x-gwp")
                .setHeader(DeadLetters.REASON, "the database was gone").build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(adminCall("POST", "/v1/admin/dlq/replay",
                "{\"queue\":\"" + service + "\",\"messageIds\":[\"" + replayed + "\"]}").body()).contains(replayed.toString()));

        SqlEventStore events = gw.bean("sqlEventStore", SqlEventStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> events.find(replayed).isPresent()
                && events.find(tcpStored).isPresent());
        assertThat(events.find(tcpStored).orElseThrow().source()).isEqualTo("tcp");
        assertThat(events.find(replayed).orElseThrow().source()).as("the replayed bytes are the original's").isNull();

        String statsPath = "/v1/admin/stats?pattern=" + gw.title + ".prod.%23&window=1m&series=true";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stats = adminJson(statsPath);
            assertThat(stats.get("pattern").asText()).isEqualTo(gw.title + ".prod.#");
            assertThat(stats.get("windowSeconds").asInt()).isEqualTo(60);
            JsonNode end = key(stats, matchEnd);
            assertThat(end.at("/events/total").asLong()).isEqualTo(5);
            assertThat(end.at("/events/bySource/http").asLong()).isEqualTo(3);
            assertThat(end.at("/events/bySource/tcp").asLong()).isEqualTo(2);
            assertThat(end.at("/bytes/total").asLong()).isGreaterThan(5 * 30);
            assertThat(end.at("/refusals/byCode/INVALID_EVENT").asLong()).isEqualTo(1);
            assertThat(end.at("/delayMillis/count").asLong()).isEqualTo(5);
            assertThat(end.at("/delayMillis/p99").asDouble()).isLessThanOrEqualTo(end.at("/delayMillis/max").asDouble());
            assertThat(end.get("series")).hasSize(60);
            assertThat(key(stats, service + ".scored").at("/refusals/byCode/INVALID_EVENT").asLong()).isEqualTo(1);
            JsonNode poisoned = key(stats, service + ".end");
            // published by someone else: an event of the bus only with gamewire.ops.monitor.scope=bus
            // (BusMonitorIT); its dead letter is counted in any scope
            assertThat(poisoned.at("/events/total").asLong()).isZero();
            assertThat(poisoned.at("/deadLetters/total").asLong()).isEqualTo(1);
            JsonNode dup = key(stats, service + ".dup");
            assertThat(dup.at("/deadLetters/total").asLong()).isEqualTo(1);
            assertThat(dup.at("/events/bySource/replay").asLong()).isEqualTo(1);
            assertThat(dup.at("/delayMillis/count").asLong()).isEqualTo(1);
            JsonNode totals = stats.get("totals");
            assertThat(totals.at("/events/total").asLong()).isEqualTo(6);
            assertThat(totals.at("/refusals/total").asLong()).isEqualTo(2);
            assertThat(totals.at("/deadLetters/total").asLong()).isEqualTo(2);
            long seriesSum = 0;
            for (JsonNode second : totals.get("series")) {
                seriesSum += second.asLong();
            }
            assertThat(seriesSum).isEqualTo(6);
        });

        String dlq = service + ".dlq";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode queues = adminJson("/v1/admin/queues");
            assertThat(queues.get("source").asText()).isEqualTo(GamewireUnderTest.SERVICES ? "management-api"
                    : "passive-declare");
            JsonNode scores = null;
            for (JsonNode queue : queues.get("queues")) {
                if (queue.get("queue").asText().equals(service)) {
                    scores = queue;
                }
            }
            assertThat(scores).as(queues.toString()).isNotNull();
            assertThat(scores.get("consumers").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(scores.get("messages").asLong()).isZero();
            assertThat(scores.get("deadLetters").asLong()).as("the poison message").isEqualTo(1);
            assertThat(scores.get("unacked").isNull()).isEqualTo(!GamewireUnderTest.SERVICES);

            String metrics = gw.get("/observe/metrics").body();
            assertThat(metric(metrics, "gamewire_bus_messages_total", "exchange=\"events\"",
                    "routing_key=\"" + matchEnd + "\"", "source=\"http\"")).isEqualTo(3.0);
            assertThat(metric(metrics, "gamewire_bus_messages_total", "exchange=\"events\"",
                    "routing_key=\"" + matchEnd + "\"", "source=\"tcp\"")).isEqualTo(2.0);
            // TCP EVENTs do not go through a route: their own meter counts their answers
            assertThat(metric(metrics, "gamewire_tcp_events_seconds_count", "answer=\"ack\"")).isEqualTo(2.0);
            assertThat(metric(metrics, "gamewire_tcp_events_seconds_count", "answer=\"error\"")).as("the forged replay")
                    .isEqualTo(1.0);
            assertThat(metrics.lines().filter(line -> line.startsWith("gamewire_tcp_frames_in_flight")).findFirst())
                    .hasValueSatisfying(line -> assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                            .isZero());
            assertThat(metric(metrics, "gamewire_bus_messages_total", "exchange=\"events\"",
                    "routing_key=\"" + service + ".dup\"", "source=\"replay\"")).isEqualTo(1.0);
            assertThat(metric(metrics, "gamewire_refusals_total", "code=\"INVALID_EVENT\"",
                    "routing_key=\"" + service + ".scored\"")).isEqualTo(1.0);
            assertThat(metric(metrics, "gamewire_event_delay_seconds_count", "routing_key=\"" + matchEnd + "\""))
                    .isEqualTo(5.0);
            assertThat(metric(metrics, "gamewire_queue_consumers", "queue=\"" + service + "\"")).isGreaterThanOrEqualTo(1);
            assertThat(metric(metrics, "gamewire_queue_messages", "queue=\"" + dlq + "\"")).isEqualTo(1.0);
            assertThat(metrics.contains("gamewire_queue_unacked{")).isEqualTo(GamewireUnderTest.SERVICES);
            // Camel's route policy per route only (camel.metrics.route-policy-level = route): the
            // consumer route's exchanges, no series for all routes together
            assertThat(metrics.lines().filter(line -> line.startsWith("camel_exchanges_total{"))
                    .anyMatch(line -> line.contains("routeId=\"store-"))).as("a consumer route's exchanges").isTrue();
            assertThat(metrics).doesNotContain("eventType=\"context\"");
        });
    }

    @Test
    void camelJBangsCliConnectorDoesNotRunWhenItsSettingIsOff() {
        // the context would otherwise make an enabled one from the classpath (it did, on the prod
        // profile, and spent a third of a core reading JMX every second)
        assertThat(gw.camel().hasService(CliConnector.class)).isNull();
        // a running connector rewrites this file every second; one an earlier IT's gamewire in this
        // JVM left behind (ConsoleSecurityIT turns the connector on) stands still
        Path status = Path.of(System.getProperty("user.home"), ".camel", ProcessHandle.current().pid() + "-status.json");
        long[] modified = {lastModified(status)};
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> lastModified(status) == modified[0]);
    }

    @Test
    void noEventNotifierMakesCamelBuildEventsForEveryExchange() {
        // one notifier that takes exchange events makes Camel create and hand out three or more
        // event objects for every exchange of every route (HttpHeaderTimeout's took them all)
        // (this gamewire runs without Camel JBang's CLI connector, whose event console takes them)
        assertThat(gw.camel().getManagementStrategy().getEventNotifiers())
                .anySatisfy(notifier -> assertThat(notifier).isInstanceOf(MicrometerRouteEventNotifier.class))
                .allSatisfy(notifier -> assertThat(notifier.isIgnoreExchangeEvents())
                        .as("%s takes exchange events", notifier).isTrue());
        assertThat(gw.camel().getCamelContextExtension().isEventNotificationApplicable()).isFalse();
    }

    private static long lastModified(Path file) {
        return file.toFile().lastModified(); // 0 when it does not exist
    }

    @Test
    void aBadWindowOrPatternIsRefusedNamingTheParameterAndTheAcceptedForm() throws Exception {
        HttpResponse<String> window = adminCall("GET", "/v1/admin/stats?window=90x", null);
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("parameter 'window'").contains("such as 30s, 1m, 15m or 1h");

        HttpResponse<String> pattern = adminCall("GET", "/v1/admin/stats?pattern=halo..stats", null);
        assertThat(pattern.statusCode()).isEqualTo(400);
        assertThat(pattern.body()).contains("parameter 'pattern'");

        assertThat(gw.get("/v1/admin/stats").statusCode()).as("an API key is no admin token").isEqualTo(403);
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.deploy.TitleDeployer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A poison message lands in its service's dead-letter queue, republished by gamewire with why it
 * failed, and leaves the service queue: on the embedded broker and on RabbitMQ alike, without any
 * broker-side dead-letter arguments. A valid event is never dead-lettered for its cache key.
 */
class DeadLetterIT {

    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", "admin-" + gw.id);
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void aMessageThatIsNotAnEnvelopeIsDeadLetteredAtOnceWithItsReason() {
        String service = gw.services.get(0);
        ConnectionFactory connectionFactory = gw.bean("connectionFactory", ConnectionFactory.class);
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        byte[] poison = "{\"this is\": \"JSON, not a GWP frame\"}".getBytes(StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();

        template.send(gw.exchange, service + ".end", MessageBuilder.withBody(poison).setMessageId("poison-1")
                .setContentType("application/json").build());

        String dlq = BusTopology.deadLetterQueue(service);
        Message dead = await().atMost(Duration.ofSeconds(20)).until(() -> template.receive(dlq), message -> message != null);
        assertThat(dead.getBody()).isEqualTo(poison);
        assertThat(dead.getMessageProperties().getMessageId()).isEqualTo("poison-1");
        assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo(service + ".end");
        Map<String, Object> headers = dead.getMessageProperties().getHeaders();
        assertThat(headers.get(DeadLetters.REASON).toString()).contains("not the GWP magic");
        assertThat(headers.get(DeadLetters.EXCEPTION).toString()).endsWith("MalformedFrameException");
        assertThat(headers.get(DeadLetters.ATTEMPTS).toString()).isEqualTo("1");
        assertThat(headers.get(DeadLetters.QUEUE).toString()).isEqualTo(service);
        assertThat(Long.parseLong(headers.get(DeadLetters.LAST_FAILURE).toString())).isGreaterThanOrEqualTo(before);
        // acknowledged after the republish: the service queue does not get it again
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.getQueueInfo(service).getMessageCount() == 0);
    }

    @Test
    void anEventTheDatabaseKeepsRefusingIsRetriedMaxAttemptsTimesThenDeadLettered() throws Exception {
        String service = gw.services.get(0);
        // accepted at ingest (the schema says string), refused by its table: player is varchar(64)
        String player = "p".repeat(70);
        assertThat(gw.post("/v1/events/" + service + ".scored", "application/json",
                "{\"player\":\"" + player + "\",\"points\":1}").statusCode()).isEqualTo(202);

        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        Message dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> template.receive(BusTopology.deadLetterQueue(service)), message -> message != null);
        Map<String, Object> headers = dead.getMessageProperties().getHeaders();
        // a first attempt in a batch without the consumer route (ConsumedEvents), then the route's
        // max-attempts: 3 in the test title
        assertThat(headers.get(DeadLetters.ATTEMPTS).toString()).isEqualTo("4");
        assertThat(headers.get(DeadLetters.EXCEPTION).toString()).endsWith("BatchUpdateException");
        assertThat(headers.get(DeadLetters.REASON).toString()).containsIgnoringCase("too long for column");
        assertThat(dead.getMessageProperties().getReceivedRoutingKey()).isEqualTo(service + ".scored");
    }

    @Test
    void aStoredEventTakesNoExchangeOfItsConsumerRouteAndAPoisonMessageDoes() throws Exception {
        String service = gw.services.get(1);
        String routeId = TitleDeployer.routeId(service);
        org.apache.camel.api.management.mbean.ManagedRouteMBean route = gw.camel().getCamelContextExtension()
                .getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class).getManagedRoute(routeId);
        long before = route.getExchangesTotal();

        java.net.http.HttpResponse<String> posted = gw.post("/v1/events/" + service + ".scored", "application/json",
                "{\"player\":\"ada\",\"points\":1}");
        assertThat(posted.statusCode()).isEqualTo(202);
        java.util.UUID id = java.util.UUID.fromString(JSON.readTree(posted.body()).get("messageId").asText());
        io.gamewire.sinks.sql.SqlEventStore events = gw.bean("sqlEventStore", io.gamewire.sinks.sql.SqlEventStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> events.countById(id) == 1);

        // stored by ConsumedEvents on the listener thread (gamewire.store.consumer-fast-path)
        assertThat(route.getExchangesTotal()).as("exchanges of " + routeId).isEqualTo(before);
        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        template.send(gw.exchange, service + ".scored",
                MessageBuilder.withBody("not a frame".getBytes(StandardCharsets.UTF_8)).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> route.getExchangesTotal() == before + 1);
        // taken out of the dead-letter queue the other tests list
        await().atMost(Duration.ofSeconds(20)).until(() -> template.receive(BusTopology.deadLetterQueue(service)),
                message -> message != null);
    }

    @Test
    void deadLettersAreListedWithoutBeingTakenAndReplayedOnRequest() throws Exception {
        String service = gw.services.get(1);
        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        java.util.UUID id = io.gamewire.protocol.MessageIds.next();
        byte[] frame = new io.gamewire.protocol.EnvelopeCodec().encode(io.gamewire.protocol.Envelope.event(id,
                System.currentTimeMillis(), "application/json", service + ".end", "{}".getBytes(StandardCharsets.UTF_8)));
        // as if it had failed before: straight into the dead-letter queue
        template.send(gw.deadLetterExchange, service + ".end", MessageBuilder.withBody(frame).setMessageId(id.toString())
                .setContentType("application/x-gwp").setHeader(DeadLetters.REASON, "the database was gone")
                .setHeader(DeadLetters.ATTEMPTS, 5).build());
        String admin = "Bearer admin-" + gw.id;

        String listPath = "/v1/admin/dlq?queue=" + service;
        await().atMost(Duration.ofSeconds(10)).until(() -> count(admin(listPath, admin)) == 1);
        com.fasterxml.jackson.databind.JsonNode listed = JSON.readTree(admin(listPath, admin).body());
        assertThat(listed.get("count").asInt()).as("listing takes nothing away").isEqualTo(1);
        assertThat(listed.get("deadLetters").get(0).get("messageId").asText()).isEqualTo(id.toString());
        assertThat(listed.get("deadLetters").get(0).get("reason").asText()).isEqualTo("the database was gone");
        assertThat(listed.get("deadLetters").get(0).get("attempts").asText()).isEqualTo("5");
        assertThat(admin(listPath, null).statusCode()).isEqualTo(401);
        assertThat(admin(listPath, "Bearer " + gw.apiKey).statusCode()).isEqualTo(403);
        assertThat(admin("/v1/admin/dlq?queue=nope.prod.x", admin).statusCode()).isEqualTo(404);

        java.net.http.HttpResponse<String> replay = gw.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/admin/dlq/replay"))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"queue\": \"" + service + "\", \"messageIds\": [\"" + id + "\"]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).isEqualTo(1);
        io.gamewire.sinks.sql.SqlEventStore events = gw.bean("sqlEventStore", io.gamewire.sinks.sql.SqlEventStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> events.countById(id) == 1);
        assertThat(count(admin(listPath, admin))).isZero();
    }

    @Test
    void aReplayIsRefusedWhenItsServiceQueueIsGoneAndTheDeadLettersStay() throws Exception {
        // its own service, since its queue is deleted here (by hand, as an operator might)
        String service = gw.services.get(2);
        ConnectionFactory connectionFactory = gw.bean("connectionFactory", ConnectionFactory.class);
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        template.send(gw.deadLetterExchange, service + ".get", MessageBuilder.withBody(new byte[] {1})
                .setMessageId("stays-1").setHeader(DeadLetters.REASON, "test").build());
        String admin = "Bearer admin-" + gw.id;
        String listPath = "/v1/admin/dlq?queue=" + service;
        await().atMost(Duration.ofSeconds(10)).until(() -> count(admin(listPath, admin)) == 1);
        gw.camel().getRouteController().stopRoute(TitleDeployer.routeId(service));
        new RabbitAdmin(connectionFactory).deleteQueue(service);

        java.net.http.HttpResponse<String> replay = gw.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gw.httpPort + "/v1/admin/dlq/replay"))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"queue\": \"" + service + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(409);
        assertThat(replay.body()).contains("service queue " + service + " does not exist on the broker");
        assertThat(count(admin(listPath, admin))).as("nothing taken from the .dlq").isEqualTo(1);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static java.net.http.HttpResponse<String> admin(String path, String authorization) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gw.httpPort + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gw.http().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static int count(java.net.http.HttpResponse<String> listing) throws Exception {
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        return JSON.readTree(listing.body()).get("count").asInt();
    }

    /**
     * A cache key filled from a payload field may hold anything: a space, a control character, 300
     * bytes. memcached's protocol refuses such keys as they are; the event is valid, so on both
     * stacks it is stored, its cache entry readable under its key, and nothing is dead-lettered.
     */
    @Test
    void eventsWhoseCacheKeysMemcachedWouldRefuseAreStoredAndCached() throws Exception {
        String service = gw.services.get(0);
        ObjectMapper json = new ObjectMapper();
        List<String> tags = List.of("ada lovelace", "tab\there", "line\nbreak", "t".repeat(300), "café 100%");
        List<UUID> ids = new java.util.ArrayList<>();
        for (String tag : tags) {
            String body = json.writeValueAsString(java.util.Map.of("tag", tag));
            var answer = gw.post("/v1/events/" + service + ".tagged", "application/json", body);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            UUID id = UUID.fromString(json.readTree(answer.body()).get("messageId").asText());
            ids.add(id);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> gw.count("SELECT COUNT(*) FROM events WHERE message_id = '" + id + "'") == 1);
        }

        EventCache cache = gw.bean("eventCache", EventCache.class);
        for (String tag : tags) {
            String expected = json.writeValueAsString(java.util.Map.of("tag", tag));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cache.get("tag:" + tag)).as(tag)
                    .hasValueSatisfying(payload -> assertThat(new String(payload, StandardCharsets.UTF_8))
                            .isEqualTo(expected)));
        }
        // the other tests dead-letter into this service's queue too: none of these is among theirs
        java.net.http.HttpResponse<String> listed = admin("/v1/admin/dlq?queue=" + service, "Bearer admin-" + gw.id);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"deadLetters\"").doesNotContain(ids.stream().map(UUID::toString).toArray(String[]::new));
    }
}

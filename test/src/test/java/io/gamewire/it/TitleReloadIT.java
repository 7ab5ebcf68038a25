package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.deploy.TitleDeployer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Title files added, changed, broken and removed while gamewire runs: no restart, no lost message. */
class TitleReloadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private GamewireUnderTest gw;

    @BeforeEach
    void start() throws Exception {
        gw = new GamewireUnderTest().start();
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private UUID post(String key, String body) throws Exception {
        var response = gw.post("/v1/events/" + key, "application/json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(response.body()).get("messageId").asText());
    }

    private boolean stored(UUID id) throws Exception {
        return gw.bean("sqlEventStore", SqlEventStore.class).countById(id) == 1;
    }

    @Test
    void aTitleAddedWhileRunningIsServedWithinSeconds() throws Exception {
        String other = "u" + gw.id;
        gw.extraServices.add(other + ".prod.laps");
        Files.writeString(gw.titlesDir.resolve(other + ".yaml"), TitleFixtures.read("laps", Map.of("title", other,
                "k-sha256", io.gamewire.titles.ApiKeyRing.sha256(gw.apiKey + "-u"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> gw.post("/v1/events/" + other + ".prod.laps.lap",
                "application/json", "{}", gw.apiKey + "-u").statusCode() == 202);
        var response = gw.post("/v1/events/" + other + ".prod.laps.lap", "application/json", "{\"ms\":61000}", gw.apiKey + "-u");
        UUID id = UUID.fromString(JSON.readTree(response.body()).get("messageId").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(id));
    }

    @Test
    void aChangedTitleReplacesItsConsumersWithoutLosingMessages() throws Exception {
        String service = gw.services.get(1);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(post(service + ".end", "{\"n\":" + i + "}"));
            if (i == 10) {
                gw.writeTitle(gw.titleYaml().replace("prefetch: 20", "prefetch: 5"));
            }
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> gw.camel().getRoute(TitleDeployer.routeId(service)) != null
                && gw.camel().getRoute(TitleDeployer.routeId(service)).getEndpoint().getEndpointUri().contains("prefetchCount=5"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (UUID id : ids) {
                if (!stored(id)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void aBrokenEditIsRefusedAndTheLastGoodVersionKeepsRunning() throws Exception {
        String service = gw.services.get(0);
        gw.writeTitle(gw.titleYaml().replace("prefetch: 20", "prefetsh: 20"));

        TitleRegistry.Report report = gw.bean("titleRegistry", TitleRegistry.class).reload();

        assertThat(report.problems()).singleElement().asString()
                .contains(gw.title + ".yaml:17:5: services.scores.prefetsh: unknown field 'prefetsh'");
        UUID id = post(service + ".end", "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(id));
    }

    @Test
    void whileTheFileIsBrokenEventsOfACommandItAddsWaitInTheQueueAndAreStoredOnceItIsFixed() throws Exception {
        String service = gw.services.get(0);
        TitleRegistry titles = gw.bean("titleRegistry", TitleRegistry.class);
        // the edit that adds the command is broken: the version in force lacks it
        String withAdded = gw.titleYaml().replace("      marker: {}\n", "      marker: {}\n      added: {}\n");
        gw.writeTitle(withAdded.replace("prefetch: 20", "prefetsh: 20"));
        assertThat(titles.reload().problems()).isNotEmpty();

        // another instance, whose file is good, publishes them
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = io.gamewire.protocol.MessageIds.next();
            gw.bean("envelopePublisher", io.gamewire.bus.EnvelopePublisher.class).publishEvent(
                    io.gamewire.protocol.Envelope.event(id, System.currentTimeMillis(), "application/json",
                            service + ".added", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
            ids.add(id);
        }
        String dlq = io.gamewire.routing.BusTopology.deadLetterQueue(service);
        org.springframework.amqp.rabbit.core.RabbitAdmin admin = new org.springframework.amqp.rabbit.core.RabbitAdmin(
                gw.bean("connectionFactory", org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
        // neither stored without the command's sinks, nor dead-lettered: back to the queue, again and again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                ids.stream().noneMatch(this::storedQuietly) && admin.getQueueInfo(dlq).getMessageCount() == 0);

        gw.writeTitle(withAdded);
        // the watcher reloads every 300 ms here
        await().atMost(Duration.ofSeconds(10)).until(() ->
                titles.command(io.gamewire.protocol.RoutingKey.parse(service + ".added")).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(this::storedQuietly));
        assertThat(admin.getQueueInfo(dlq).getMessageCount()).isZero();
    }

    private boolean storedQuietly(UUID id) {
        try {
            return stored(id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRemovedTitleStopsItsConsumersAndRefusesItsKeys() throws Exception {
        String service = gw.services.get(0);
        Files.delete(gw.titlesDir.resolve(gw.title + ".yaml"));

        await().atMost(Duration.ofSeconds(10)).until(() -> gw.camel().getRoute(TitleDeployer.routeId(service)) == null
                && !gw.bean("titleRegistry", TitleRegistry.class).titles().containsKey(gw.title));
        // with its title gone, its key is gone too
        assertThat(gw.post("/v1/events/" + service + ".end", "application/json", "{}").statusCode()).isEqualTo(401);
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.kv.KvStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Events queued while nothing consumed them, met by a starting gamewire, on both stacks: each is
 * stored with every sink its command declares (the {@code events} row, the title-table row, the KV
 * record), never with fewer; and one whose command the title file no longer defines is
 * dead-lettered with a reason naming the routing key and the file, never acknowledged as stored.
 *
 * <p>The backlog is queued by an ingest-only instance ({@code gamewire.consumers.enabled=false}).
 * Further title files, loaded after this run's title, make the title load take a while: a consumer
 * that started before every title was in force would meet commands it cannot find.
 */
class BacklogStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBacklogMetAtStartIsStoredWithEverySinkOfItsCommand() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.consumers.enabled", "false");
            gw.start();
            String key = gw.services.get(0) + ".scored";
            int accepted = 0;
            for (int batch = 0; batch < 10; batch++) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    body.append("{\"routingKey\":\"").append(key).append("\",\"payload\":{\"player\":\"p")
                            .append(batch * 100 + i).append("\",\"points\":").append(i).append("}}\n");
                }
                HttpResponse<String> answer = gw.post("/v1/events", "application/x-ndjson", body.toString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                accepted += JSON.readTree(answer.body()).get("accepted").asInt();
            }
            assertThat(accepted).isEqualTo(1000);
            assertThat(gw.count("SELECT COUNT(*) FROM events")).as("nothing consumed by the ingest-only instance")
                    .isZero();
            gw.stopApplication();

            gw.writeSlowTitles();
            gw.overrides.remove("gamewire.consumers.enabled");
            gw.start();

            String events = "SELECT COUNT(*) FROM events WHERE routing_key = '" + key + "'";
            await().atMost(Duration.ofSeconds(90)).until(() -> gw.count(events) == 1000);
            assertThat(gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores")).as("a table row for every event")
                    .isEqualTo(1000);
            // KV records are written right after their batch's commit
            KvStore kv = gw.bean("kvStore", KvStore.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<String> withoutRecord = new ArrayList<>();
                for (int player = 0; player < 1000; player++) {
                    if (!kv.get("player:p" + player).containsKey("lastPoints")) {
                        withoutRecord.add("p" + player);
                    }
                }
                assertThat(withoutRecord).as("players without their KV record").isEmpty();
            });
            assertThat(kv.get("player:p999")).containsEntry("lastPoints", "99");
        }
    }

    @Test
    void queuedEventsOfACommandTheTitleFileNoLongerDefinesAreDeadLetteredWithAReason() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.consumers.enabled", "false");
            gw.start();
            String service = gw.services.get(0);
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> posted = gw.post("/v1/events/" + service + ".queued", "application/json",
                        "{\"n\":" + i + "}");
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            }
            gw.stopApplication();

            // the command is taken out of the title file while its events wait in the queue
            gw.writeTitle(gw.titleYaml().replace("      queued: {}\n", ""));
            gw.overrides.remove("gamewire.consumers.enabled");
            gw.start();

            RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
            String dlq = BusTopology.deadLetterQueue(service);
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Message message = template.receive(dlq);
                if (message != null) {
                    dead.add(message);
                }
                return dead.size() == 20;
            });
            for (Message message : dead) {
                assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo(service + ".queued");
                assertThat(message.getMessageProperties().getHeaders().get(DeadLetters.REASON).toString())
                        .contains("routing key " + service + ".queued")
                        .contains(gw.titlesDir.resolve(gw.title + ".yaml").toString())
                        .contains("no command 'queued'");
            }
            assertThat(gw.count("SELECT COUNT(*) FROM events WHERE routing_key = '" + service + ".queued'"))
                    .as("never acknowledged as stored").isZero();
        }
    }
}

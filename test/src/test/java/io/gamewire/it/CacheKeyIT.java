package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.cache.EventCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * A cache key filled from a payload field may hold anything: a space, a control character, 300
 * bytes. memcached's protocol refuses such keys as they are; the event is valid, so on both stacks
 * it is stored, its cache entry readable under its key, and nothing is dead-lettered.
 */
class CacheKeyIT {

    private static GamewireUnderTest gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void eventsWhoseCacheKeysMemcachedWouldRefuseAreStoredAndCached() throws Exception {
        String service = gw.services.get(0);
        ObjectMapper json = new ObjectMapper();
        List<String> tags = List.of("ada lovelace", "tab\there", "line\nbreak", "t".repeat(300), "café 100%");
        for (String tag : tags) {
            String body = json.writeValueAsString(java.util.Map.of("tag", tag));
            var answer = gw.post("/v1/events/" + service + ".tagged", "application/json", body);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            UUID id = UUID.fromString(json.readTree(answer.body()).get("messageId").asText());
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
        RabbitAdmin admin = new RabbitAdmin(gw.bean("connectionFactory", ConnectionFactory.class));
        assertThat(admin.getQueueInfo(BusTopology.deadLetterQueue(service)).getMessageCount()).isZero();
    }
}

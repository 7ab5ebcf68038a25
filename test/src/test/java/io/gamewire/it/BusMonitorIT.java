package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.monitor.BusMonitor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The bus monitor counts what crosses the bus per routing key: events published through the
 * HTTP API under their own label, a message with a routing key no title declares under "other";
 * its queue is this instance's own and goes away when gamewire stops.
 */
class BusMonitorIT {

    private GamewireUnderTest gw;

    /** Starts gamewire with the monitor counting with {@code gamewire.ops.monitor.scope} {@code scope}. */
    private void start(String scope) throws Exception {
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.ops.monitor.scope", scope);
        gw.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    /**
     * The sum of the sample lines of /observe/metrics for this exchange and routing key (over every
     * source, for the messages), 0 when there is none.
     */
    private double sample(String name, String exchange, String routingKey) throws Exception {
        String prefix = name + "{exchange=\"" + exchange + "\",routing_key=\"" + routingKey + "\"";
        return gw.get("/observe/metrics").body().lines()
                .filter(line -> line.startsWith(prefix + "}") || line.startsWith(prefix + ","))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * Three events of {@code <service>.match_end} through gamewire's HTTP API, then one message under
     * {@code foreignKey} straight to the events exchange, as a user route or another tool would.
     *
     * @return the routing key of the three
     */
    private String postThreeAndPublishOneAs(String foreignKey) throws Exception {
        String key = gw.services.get(1) + ".match_end";
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/v1/events/" + key, "application/json", "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
        }
        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", CachingConnectionFactory.class));
        template.send(gw.exchange, foreignKey, new org.springframework.amqp.core.Message("x".getBytes(), new MessageProperties()));
        return key;
    }

    @Test
    void onTheWholeBusItCountsMessagesAndBytesPerDeclaredRoutingKeyAndTheRestAsOther() throws Exception {
        start("bus");
        // a user route may publish any routing key: it must not become a label of its own
        String key = postThreeAndPublishOneAs(gw.title + ".prod.nowhere.random");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(sample("gamewire_bus_messages_total", "events", key)).isEqualTo(3.0);
            assertThat(sample("gamewire_bus_bytes_total", "events", key)).isGreaterThan(3 * 7);
            assertThat(sample("gamewire_bus_messages_total", "events", "other")).isGreaterThanOrEqualTo(1.0);
        });
        assertThat(gw.get("/observe/metrics").body()).doesNotContain("nowhere.random");
        BusMonitor monitor = gw.bean("busMonitor", BusMonitor.class);
        assertThat(monitor.queue()).isNotBlank();
        assertThat(monitor.bindings()).containsExactly(gw.deadLetterExchange + " #", gw.exchange + " #");
    }

    @Test
    void scopedToTheInstanceItCountsWhatThisInstancePublishedAndTheListenerHearsOnlyDeadLetters() throws Exception {
        start("instance");
        // published by someone else under the same key: not this instance's to count
        String key = postThreeAndPublishOneAs(gw.services.get(1) + ".match_end");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(sample("gamewire_bus_messages_total", "events", key)).isEqualTo(3.0);
            assertThat(sample("gamewire_bus_bytes_total", "events", key)).isGreaterThan(3 * 7);
        });
        // and it stays 3 once the foreign message has surely crossed the bus
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(sample("gamewire_bus_messages_total", "events", key)).isEqualTo(3.0));
        assertThat(gw.get("/observe/metrics").body()).contains("gamewire_bus_messages_total{exchange=\"events\",routing_key=\""
                + key + "\",source=\"http\"} 3.0");
        // the broker delivers the events exchange's traffic to no queue of the monitor's
        assertThat(gw.bean("busMonitor", BusMonitor.class).bindings()).containsExactly(gw.deadLetterExchange + " #");
    }

    @Test
    void aLostConnectionIsMadeAgainAndCountingGoesOn() throws Exception {
        start("bus");
        BusMonitor monitor = gw.bean("busMonitor", BusMonitor.class);
        String key = gw.services.get(1) + ".end";
        String before = monitor.queue();

        monitor.abortConnection();
        // connected again by itself, on a new queue of its own
        await().atMost(Duration.ofSeconds(30)).until(() -> monitor.isListening() && !before.equals(monitor.queue()));
        assertThat(gw.get("/observe/metrics").body()).contains("gamewire_bus_monitor_up 1.0");
        assertThat(gw.post("/v1/events/" + key, "application/json", "{}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(sample("gamewire_bus_messages_total", "events", key)).isEqualTo(1.0));
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.gamewire.protocol.AckFrame;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.pulls.PullResult;
import io.gamewire.pulls.PullRunner;
import io.gamewire.titles.TitleRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The order on the bus (issue 17), on the stack the build selects: the events of one TCP connection,
 * of one HTTP NDJSON batch and the items of one pull run reach the bus in the order they were sent,
 * with the publisher's four lanes ({@code gamewire.bus.publisher-connections}). Each test binds a
 * queue of its own (server-named, exclusive: gone with its connection) to the events exchange under
 * the routing key it sends to, and reads the message ids as the broker routed them.
 */
class OrderingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pull items per page, over the pull engine's 1,000 unconfirmed items at most. */
    private static final int PULL_PAGE_ITEMS = 1_500;
    private static final int PULL_PAGES = 2;

    private static GamewireUnderTest gw;
    private static PublisherApi publisherApi;
    private static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        publisherApi = new PublisherApi(request -> {
            String query = request.getQuery();
            return pullPage(query != null && query.contains("cursor=p2") ? 2 : 1);
        }, Duration.ZERO);
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.bus.publisher-connections", "4");
        gw.overrides.put("gamewire.pulls.enabled", "false");
        gw.writeTitle(gw.titleYamlWithPull("pulls-paged", publisherApi.url()));
        gw.start();
        connection = gw.bean("connectionFactory", CachingConnectionFactory.class).getRabbitConnectionFactory()
                .newConnection("ordering-it");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
            if (gw != null) {
                gw.close();
            }
        } finally {
            if (publisherApi != null) {
                publisherApi.close();
            }
        }
    }

    /** Page 1 or 2 of the pull: players q-0000… in order, each with its number as points; page 1 names page 2. */
    private static String pullPage(int page) {
        StringBuilder body = new StringBuilder("{\"items\": [");
        for (int i = 0; i < PULL_PAGE_ITEMS; i++) {
            int n = (page - 1) * PULL_PAGE_ITEMS + i;
            body.append(i == 0 ? "" : ",").append("{\"player\": \"").append(pullItemId(n)).append("\", \"points\": ")
                    .append(n).append(", \"at\": ").append(n).append("}");
        }
        return body.append("]").append(page < PULL_PAGES ? ", \"next\": \"p" + (page + 1) + "\"" : "").append("}")
                .toString();
    }

    private static String pullItemId(int n) {
        return String.format("q-%04d", n);
    }

    @Test
    void theEventsOfOneTcpConnectionReachTheBusInTheOrderSent() throws Exception {
        String routingKey = gw.services.get(0) + ".match_end";
        List<UUID> sent = new ArrayList<>();
        try (BusReader bus = new BusReader(routingKey);
             GamewireClient client = GamewireClient.builder().address("127.0.0.1", gw.tcpPort).apiKey(gw.apiKey)
                     .clientName("ordering-it/1").maxInFlight(256).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            List<CompletableFuture<AckFrame>> acks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Envelope event = GwpSocket.event(routingKey, "{\"n\": " + i + "}");
                sent.add(event.messageId());
                acks.add(client.send(event));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(bus.messageIds(sent.size())).as("message ids as the broker routed them").containsExactlyElementsOf(sent);
        }
    }

    @Test
    void theEventsOfOneHttpBatchReachTheBusInTheBatchsOrder() throws Exception {
        String routingKey = gw.services.get(0) + ".end";
        List<UUID> sent = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            UUID id = MessageIds.next();
            sent.add(id);
            body.append("{\"routingKey\": \"").append(routingKey).append("\", \"messageId\": \"").append(id)
                    .append("\", \"payload\": {\"n\": ").append(i).append("}}\n");
        }
        try (BusReader bus = new BusReader(routingKey)) {
            HttpResponse<String> answer = gw.post("/v1/events", "application/x-ndjson", body.toString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).get("accepted").asInt()).as(answer.body()).isEqualTo(sent.size());
            assertThat(bus.messageIds(sent.size())).as("message ids as the broker routed them").containsExactlyElementsOf(sent);
        }
    }

    @Test
    void theItemsOfOnePullRunReachTheBusInTheOrderOfItsPages() throws Exception {
        String routingKey = gw.services.get(0) + ".scored";
        int items = PULL_PAGE_ITEMS * PULL_PAGES;
        List<UUID> expected = new ArrayList<>();
        for (int n = 0; n < items; n++) {
            expected.add(MessageIds.named("pull", gw.title, "scores", pullItemId(n)));
        }
        try (BusReader bus = new BusReader(routingKey)) {
            PullResult result = gw.bean("pullRunner", PullRunner.class).run(gw.title,
                    gw.bean("titleRegistry", TitleRegistry.class).titles().get(gw.title).pulls().get("scores"));

            assertThat(result.failed()).as(result.summary()).isFalse();
            assertThat(result.itemsPublished()).as(result.summary()).isEqualTo(items);
            assertThat(bus.messageIds(items)).as("message ids as the broker routed them").containsExactlyElementsOf(expected);
        }
    }

    /** A queue of this test's own bound to one routing key, and the message ids routed to it, in order. */
    private static final class BusReader implements AutoCloseable {

        private final Channel channel;
        private final List<UUID> ids = new CopyOnWriteArrayList<>();

        BusReader(String routingKey) throws Exception {
            channel = connection.createChannel();
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, gw.exchange, routingKey);
            channel.basicConsume(queue, true, (tag, delivery) ->
                    ids.add(UUID.fromString(delivery.getProperties().getMessageId())), tag -> { });
        }

        /** Waits for {@code count} messages, then a moment longer, so that one more would show too. */
        List<UUID> messageIds(int count) throws InterruptedException {
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() >= count);
            Thread.sleep(200);
            return List.copyOf(ids);
        }

        @Override
        public void close() throws Exception {
            if (channel.isOpen()) {
                channel.close(); // the exclusive, auto-delete queue goes with its consumer
            }
        }
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.capacity.plan.CapacityMode;
import io.gamewire.capacity.plan.CapacityPlanner;
import io.gamewire.capacity.plan.ScalingDecision;
import io.gamewire.capacity.scale.ConsumerScaling;
import io.gamewire.capacity.scale.KeptListenerContainers;
import io.gamewire.config.SharedJson;
import io.gamewire.deploy.TitleDeployer;
import io.gamewire.sinks.SinkBatcher;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CapacitySettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Live scaling of a service's consumers under load, on both stacks: while a steady stream of
 * events arrives over HTTP, the service's listener container is set to 1, 4, 1 and 3 consumers
 * without restarting its route; afterwards every accepted event is stored exactly once (one
 * {@code events} row per message id, one title-table row each) and the container ran each count.
 * The planner's route is off here ({@code gamewire.capacity.plan-enabled=false}): the counts are
 * set through {@code ConsumerScaling}, what it does to a running container being under test; the
 * planner's decisions are {@code CapacityPlannerTest}'s. At the end the title turns to
 * {@code capacity: {mode: act}} and one plan runs on the same container, which has no forecast
 * (no usage archive) and so keeps its count.
 */
class ConsumerScalingIT {

    private static final int BATCHES = 75;
    private static final int PER_BATCH = 40;
    private static final int BURST = 1_000;

    @Test
    void scalingUpAndDownUnderLoadStoresEveryEventExactlyOnce() throws Exception {
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.overrides.put("gamewire.capacity.plan-enabled", "false");
            gw.writeTitle(gw.titleYaml().replace("consumers: {min: 1, max: 2}", "consumers: {min: 1, max: 4}"));
            gw.start();
            String queue = gw.services.get(0);
            String key = queue + ".scored";
            assertThat(gw.camel().getComponent("spring-rabbitmq", SpringRabbitMQComponent.class)
                    .getListenerContainerFactory()).isInstanceOf(KeptListenerContainers.class);
            ConsumerScaling scaling = gw.bean("consumerScaling", ConsumerScaling.class);
            SimpleMessageListenerContainer container = kept(gw).container(queue).orElseThrow();
            String route = TitleDeployer.routeId(queue);
            Object routeConsumer = gw.camel().getRoute(route).getConsumer();
            // every store of an event of the key, duplicates of redelivered messages included
            AtomicInteger stores = new AtomicInteger();
            gw.bean("sinkBatcher", SinkBatcher.class).onStored((event, at) -> {
                if (event.routingKey().toString().equals(key)) {
                    stores.incrementAndGet();
                }
            });

            AtomicInteger accepted = new AtomicInteger();
            ExecutorService publisher = Executors.newSingleThreadExecutor();
            long startedAt = System.nanoTime();
            Future<?> published = publisher.submit(() -> {
                for (int batch = 0; batch < BATCHES; batch++) {
                    post(gw, key, "p", batch * PER_BATCH, PER_BATCH, accepted);
                    Thread.sleep(60);
                }
                return null;
            });

            List<Integer> seen = new ArrayList<>();
            for (int consumers : new int[] {1, 4, 1, 3}) {
                if (consumers == 1 && !seen.isEmpty()) {
                    // a burst just before 4 -> 1, so the consumers taken away hold prefetched messages
                    burst(gw, key, accepted);
                }
                assertThat(scaling.set(queue, consumers)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> container.getActiveConsumerCount() == consumers);
                seen.add(container.getActiveConsumerCount());
                Thread.sleep(2_500);
            }
            published.get();
            publisher.shutdown();
            long publishedInMs = (System.nanoTime() - startedAt) / 1_000_000;

            assertThat(seen).containsExactly(1, 4, 1, 3);
            assertThat(accepted.get()).isEqualTo(BATCHES * PER_BATCH + BURST);
            String events = "SELECT COUNT(*) FROM events WHERE routing_key = '" + key + "'";
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.count(events) >= accepted.get());
            // a redelivered event must not be stored twice; give late duplicates a moment to show
            Thread.sleep(1_000);
            assertThat(gw.count(events)).isEqualTo(accepted.get());
            assertThat(gw.count("SELECT COUNT(DISTINCT message_id) FROM events WHERE routing_key = '" + key + "'"))
                    .isEqualTo(accepted.get());
            assertThat(gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores")).isEqualTo(accepted.get());
            // the same container and route consumer throughout: scaled, never restarted
            assertThat(kept(gw).container(queue)).containsSame(container);
            assertThat(gw.camel().getRoute(route).getConsumer()).isSameAs(routeConsumer);
            assertThat(container.getActiveConsumerCount()).isEqualTo(3);
            // what the shrinks cost: messages delivered again and stored again (idempotently)
            System.out.printf("ConsumerScalingIT: %d events accepted in %d ms, %d stores (%d again after a redelivery)%n",
                    accepted.get(), publishedInMs, stores.get(), stores.get() - accepted.get());
            assertThat(stores.get()).isGreaterThanOrEqualTo(accepted.get());

            // the planner on the same container: the title now says act; without a usage archive
            // there is no forecast, so it keeps the 3 consumers and pins the container to them
            gw.writeTitle(gw.titleYaml().replace("consumers: {min: 1, max: 2}", "consumers: {min: 1, max: 4}")
                    .replace("services:\n", "capacity: {mode: act}\nservices:\n"));
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.bean("titleRegistry", TitleRegistry.class)
                    .titles().get(gw.title).capacity().mode() == CapacitySettings.Mode.ACT);
            CapacityPlanner planner = gw.bean("capacityPlanner", CapacityPlanner.class);
            planner.plan();
            ScalingDecision decision = planner.latest(queue).orElseThrow();
            assertThat(decision.mode()).isEqualTo(CapacityMode.ACT);
            assertThat(decision.current()).isEqualTo(3);
            assertThat(decision.planned()).isEqualTo(3);
            assertThat(decision.reason()).isEqualTo("no forecast yet: keeping 3");
            assertThat(kept(gw).container(queue)).containsSame(container);
            assertThat(container.getActiveConsumerCount()).isEqualTo(3);
            String metrics = gw.get("/observe/metrics").body();
            assertThat(metrics).contains("gamewire_capacity_consumers{kind=\"planned\",service=\"" + queue + "\"} 3.0",
                    "gamewire_capacity_consumers{kind=\"current\",service=\"" + queue + "\"} 3.0",
                    "gamewire_capacity_decisions_total{applied=\"false\",service=\"" + queue + "\"} 1.0",
                    "gamewire_capacity_forecast_upper{service=\"" + queue + "\"} NaN");
        }
    }

    /** {@value #BURST} events as fast as HTTP takes them. */
    private static void burst(GamewireUnderTest gw, String key, AtomicInteger accepted) throws Exception {
        for (int batch = 0; batch < BURST / 100; batch++) {
            post(gw, key, "b", batch * 100, 100, accepted);
        }
    }

    /** One batch of {@code count} scored events, for the players {@code <prefix><from>} on; counts those accepted. */
    private static void post(GamewireUnderTest gw, String key, String prefix, int from, int count,
                             AtomicInteger accepted) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int n = from; n < from + count; n++) {
            body.append("{\"routingKey\":\"").append(key).append("\",\"payload\":{\"player\":\"").append(prefix)
                    .append(n).append("\",\"points\":").append(n).append("}}\n");
        }
        HttpResponse<String> answer = gw.post("/v1/events", "application/x-ndjson", body.toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        accepted.addAndGet(SharedJson.MAPPER.readTree(answer.body()).get("accepted").asInt());
    }

    private static KeptListenerContainers kept(GamewireUnderTest gw) {
        return (KeptListenerContainers) gw.camel().getComponent("spring-rabbitmq", SpringRabbitMQComponent.class)
                .getListenerContainerFactory();
    }
}

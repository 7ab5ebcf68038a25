package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.camel.NamedThreads;
import io.gamewire.routing.TopicPattern;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusMonitorTest {

    private final FakeBroker broker = new FakeBroker();
    private final BusMonitor monitor = new BusMonitor(broker.factory, "gamewire.events", "gamewire.dlx", NamedThreads.PLAIN);

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void eachSubscriberGetsWhatItsPatternMatchesAndDeadLettersOnlyWhenItAskedForThem() throws Exception {
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> stats = new CopyOnWriteArrayList<>();
        List<String> deadLetters = new CopyOnWriteArrayList<>();
        monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.BOTH, (delivery, deadLetter) ->
                all.add((deadLetter ? "dlx " : "") + delivery.getEnvelope().getRoutingKey()));
        monitor.start();
        monitor.subscribe(TopicPattern.parse("halo.*.stats.#"), BusMonitor.Exchanges.EVENTS, (delivery, deadLetter) ->
                stats.add((deadLetter ? "dlx " : "") + delivery.getEnvelope().getRoutingKey()));
        monitor.subscribe(TopicPattern.parse("halo.#"), BusMonitor.Exchanges.DEAD_LETTERS, (delivery, deadLetter) ->
                deadLetters.add((deadLetter ? "dlx " : "") + delivery.getEnvelope().getRoutingKey()));

        broker.deliver("gamewire.events", "halo.prod.stats.match_end");
        broker.deliver("gamewire.events", "halo.prod.chat.say");
        broker.deliver("gamewire.dlx", "halo.prod.stats.match_end");

        assertThat(all).containsExactly("halo.prod.stats.match_end", "halo.prod.chat.say", "dlx halo.prod.stats.match_end");
        assertThat(stats).containsExactly("halo.prod.stats.match_end");
        assertThat(deadLetters).containsExactly("dlx halo.prod.stats.match_end");
        // the first subscription was bound as the queue was made, the others when they came
        assertThat(broker.bindings).containsExactly("bind gamewire.events #", "bind gamewire.dlx #",
                "bind gamewire.events halo.*.stats.#", "bind gamewire.dlx halo.#");
    }

    @Test
    void aPatternIsBoundOnceWhileAnyoneAsksForItAndUnboundOffTheCallersThreadWhenTheLastLeaves() throws Exception {
        monitor.start();
        TopicPattern pattern = TopicPattern.parse("halo.#");
        BusMonitor.Subscription first = monitor.subscribe(pattern, BusMonitor.Exchanges.EVENTS, (delivery, deadLetter) -> { });
        BusMonitor.Subscription second = monitor.subscribe(pattern, BusMonitor.Exchanges.EVENTS, (delivery, deadLetter) -> { });
        assertThat(broker.bindings).containsExactly("bind gamewire.events halo.#");

        first.close();
        second.close();
        second.close(); // twice: released once

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(broker.bindings).containsExactly("bind gamewire.events halo.#", "unbind gamewire.events halo.#"));
        assertThat(broker.bindingThreads.get(1)).isEqualTo("gamewire-monitor");
    }

    @Test
    void aPausedSubscriptionGivesItsBindingUpForThePauseThenTakesItAgainUnlessClosedMeanwhile() throws Exception {
        monitor.start();
        BusMonitor.Subscription paused = monitor.subscribe(TopicPattern.parse("halo.#"), BusMonitor.Exchanges.EVENTS,
                (delivery, deadLetter) -> { });

        paused.pause(Duration.ofMillis(300));
        paused.pause(Duration.ofMillis(300)); // while one lasts: ignored
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.bindings)
                .containsExactly("bind gamewire.events halo.#", "unbind gamewire.events halo.#", "bind gamewire.events halo.#"));
        assertThat(monitor.bindings()).containsExactly("gamewire.events halo.#");

        paused.pause(Duration.ofMillis(300));
        paused.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.bindings).hasSize(4));
        // for longer than the pause: no bind may follow
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> broker.bindings.size() == 4);
        assertThat(broker.bindings).last().isEqualTo("unbind gamewire.events halo.#");
        assertThat(monitor.bindings()).isEmpty();
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndAFailingSubscriberCostsTheOthersNothing() throws Exception {
        monitor.start();
        List<String> kept = new CopyOnWriteArrayList<>();
        List<String> left = new CopyOnWriteArrayList<>();
        monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.EVENTS, (delivery, deadLetter) -> {
            throw new IllegalStateException("a subscriber's bug");
        });
        monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.EVENTS, (delivery, deadLetter) -> kept.add(delivery.getEnvelope().getRoutingKey()));
        BusMonitor.Subscription leaving = monitor.subscribe(TopicPattern.all(), BusMonitor.Exchanges.EVENTS,
                (delivery, deadLetter) -> left.add(delivery.getEnvelope().getRoutingKey()));

        broker.deliver("gamewire.events", "halo.prod.stats.a");
        leaving.close();
        broker.deliver("gamewire.events", "halo.prod.stats.b");

        assertThat(kept).containsExactly("halo.prod.stats.a", "halo.prod.stats.b");
        assertThat(left).containsExactly("halo.prod.stats.a");
    }
}

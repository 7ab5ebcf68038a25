package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.gamewire.camel.NamedThreads;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.monitor.FakeBroker;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TailsTest {

    private final FakeBroker broker = new FakeBroker();
    private final BusMonitor monitor = new BusMonitor(broker.factory, "gamewire.events", "gamewire.dlx",
            NamedThreads.PLAIN);
    private final Tails tails = new Tails(monitor, null, new Tails.Limits(2, 10, 10_000, 0));

    @BeforeEach
    void start() throws Exception {
        monitor.start();
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void onceClosedNoTailIsOpened() {
        tails.close();

        assertThatThrownBy(() -> tails.open(TopicPattern.parse("halo.#"), false, 0))
                .isInstanceOf(TailsClosedException.class).hasMessage("gamewire is stopping: no tail can be opened now");
        assertThat(tails.openCount()).isZero();
    }

    @Test
    void pastMaxTailsOneMoreIsRefusedNamingTheSettingAndClosingOneMakesRoom() throws Exception {
        Tail first = tails.open(TopicPattern.parse("halo.#"), false, 0);
        tails.open(TopicPattern.parse("halo.prod.#"), true, 0);

        assertThatThrownBy(() -> tails.open(TopicPattern.parse("halo.#"), false, 0))
                .isInstanceOf(TooManyTailsException.class).hasMessageContaining("gamewire.ops.max-tails");
        first.close();
        assertThat(tails.open(TopicPattern.parse("halo.#"), false, 0).isOpen()).isTrue();
        assertThat(tails.openCount()).isEqualTo(2);

        tails.close();
        assertThat(tails.openTails()).isEmpty();
        assertThat(tails.openCount()).isZero();
    }

    @Test
    void aTailOverItsRateGivesItsBindingUpForAWhile() throws Exception {
        Tails limited = new Tails(monitor, null, new Tails.Limits(2, 10, 10_000, 1));
        Tail tail = limited.open(TopicPattern.parse("halo.#"), false, 0);
        assertThat(monitor.bindings()).containsExactly("gamewire.events halo.#");

        Delivery delivery = new Delivery(new Envelope(1, false, "gamewire.events", "halo.prod.stats.match_end"),
                new AMQP.BasicProperties.Builder().build(), new byte[] {1});
        tail.received(delivery, false);
        tail.received(delivery, false); // over the rate of 1 a second

        assertThat(tail.buffered()).isEqualTo(1);
        // The pause ends on the next whole second, which can be a millisecond away: polling for the
        // moment without the binding could miss it, so the test reads the broker's history instead.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.bindings).containsExactly(
                "bind gamewire.events halo.#", "unbind gamewire.events halo.#", "bind gamewire.events halo.#"));
        assertThat(monitor.bindings()).containsExactly("gamewire.events halo.#");
        limited.close();
    }

    @Test
    void noTailIsOpenedWhileTheMonitorIsNotConnected() {
        BusMonitor away = new BusMonitor(new ConnectionFactory(), "gamewire.events", "gamewire.dlx", NamedThreads.PLAIN);
        Tails refused = new Tails(away, null, new Tails.Limits(2, 10, 10_000, 0));

        assertThatThrownBy(() -> refused.open(TopicPattern.parse("halo.#"), false, 0))
                .isInstanceOf(IOException.class).hasMessageContaining("bus monitor is not connected");
        assertThat(refused.openCount()).isZero();
        assertThat(away.bindings()).isEmpty();
        away.close();
    }

    @Test
    void aNegativeRateIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new Tails.Limits(1, 1, 1, -1)).hasMessageContaining("gamewire.ops.tail-max-rate");
    }
}

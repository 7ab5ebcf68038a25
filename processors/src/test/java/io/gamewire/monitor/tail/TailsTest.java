package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.camel.NamedThreads;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.routing.TopicPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TailsTest {

    /** Never started: subscriptions are only recorded, nothing connects. */
    private final BusMonitor monitor = new BusMonitor(new ConnectionFactory(), "gamewire.events", "gamewire.dlx",
            NamedThreads.PLAIN);
    private final Tails tails = new Tails(monitor, null, new Tails.Limits(2, 10, 10_000, 0));

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
    void aNegativeRateIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new Tails.Limits(1, 1, 1, -1)).hasMessageContaining("gamewire.ops.tail-max-rate");
    }
}

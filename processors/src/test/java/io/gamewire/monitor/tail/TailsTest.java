package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.gamewire.camel.NamedThreads;
import io.gamewire.routing.TopicPattern;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TailsTest {

    private final FakeConnection broker = new FakeConnection();
    private final AtomicInteger connections = new AtomicInteger();
    private Tails tails;

    /** A factory whose connections are {@link #broker}; {@code whileConnecting} runs as the connection is made. */
    private Tails tails(Runnable whileConnecting) {
        broker.answer(); // closes answer at once here
        ConnectionFactory factory = new ConnectionFactory() {
            @Override
            public Connection newConnection(String name) {
                connections.incrementAndGet();
                whileConnecting.run();
                return broker.connection;
            }
        };
        return new Tails(factory, "gamewire.events", "gamewire.dlx", null, new Tails.Limits(2, 10, 10_000),
                NamedThreads.PLAIN);
    }

    @Test
    void onceClosedNoTailIsOpenedAndNoConnectionMade() {
        tails = tails(() -> { });
        tails.close();

        assertThatThrownBy(() -> tails.open(TopicPattern.parse("halo.#"), false, 0))
                .isInstanceOf(TailsClosedException.class).hasMessage("gamewire is stopping: no tail can be opened now");
        assertThat(connections).hasValue(0);
        assertThat(tails.openCount()).isZero();
    }

    @Test
    void aTailBeingOpenedWhileGamewireStopsIsClosedAndRefused() {
        // gamewire stops while a worker waits for the broker to open the tail's connection
        tails = tails(() -> tails.close());

        assertThatThrownBy(() -> tails.open(TopicPattern.parse("halo.#"), false, 0))
                .isInstanceOf(TailsClosedException.class);
        assertThat(connections).hasValue(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(broker.closedBy.get()).isNotNull());
        assertThat(tails.openCount()).isZero();
        assertThat(tails.openTails()).isEmpty();
    }
}

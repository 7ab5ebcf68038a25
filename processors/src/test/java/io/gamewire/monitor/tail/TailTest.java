package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.routing.TopicPattern;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {

    @TempDir
    Path titlesDir;

    private final ExecutorService closer = Executors.newSingleThreadExecutor(work -> new Thread(work, "test-closer"));
    private final FakeConnection broker = new FakeConnection();
    private final AtomicInteger released = new AtomicInteger();

    @AfterEach
    void stop() {
        broker.answer();
        closer.shutdown();
    }

    private Tail tail(int bufferEvents) {
        TitleRegistry titles = new TitleRegistry(titlesDir, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) {
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
        TailEvents events = new TailEvents(new ObjectMapper(), new EnvelopeCodec(), new PayloadRedaction(titles));
        return new Tail(broker.connection, TopicPattern.parse("halo.#"), true, 0,
                new TailBuffer(bufferEvents, 1_000_000), events, closer, released::incrementAndGet);
    }

    private static Delivery delivery(String exchange, String messageId, String body) {
        return new Delivery(new Envelope(1, false, exchange, "halo.prod.stats.match_end"),
                new AMQP.BasicProperties.Builder().messageId(messageId).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theConsumerStoresDeliveriesAsTheyCameAndOnlyThoseWrittenBecomeFrames() {
        Tail tail = tail(2);
        for (int i = 1; i <= 5; i++) {
            tail.received(delivery(i == 5 ? "gamewire.dlx" : "gamewire.events", "m" + i, "not a GWP frame " + i), "gamewire.dlx");
        }
        assertThat(tail.buffered()).isEqualTo(2);
        List<String> written = new ArrayList<>();
        TailStream stream = new TailStream(tail, sink(written));

        stream.drain();

        assertThat(written).hasSize(3);
        assertThat(written.get(0)).isEqualTo("event: dropped\ndata: {\"dropped\":3,\"totalDropped\":3}\n\n");
        assertThat(written.get(1)).startsWith("event: message\nid: m4\n").contains("\"exchange\":\"events\"")
                .contains("\"payload\":\"***\"").contains("\"error\":\"not a GWP frame");
        assertThat(written.get(2)).startsWith("event: message\nid: m5\n").contains("\"exchange\":\"dead-letters\"");
        assertThat(stream.sent()).isEqualTo(2);
    }

    @Test
    void closingReturnsAtOnceAndTheConnectionIsAbortedOnTheClosersThread() {
        Tail tail = tail(10);
        List<String> written = new ArrayList<>();
        TailStream stream = new TailStream(tail, sink(written));

        // the broker does not answer the close yet: an event loop calling this must not wait for it
        CompletableFuture<Void> closing = CompletableFuture.runAsync(stream::clientGone);

        await().atMost(Duration.ofSeconds(5)).until(closing::isDone);
        assertThat(tail.isOpen()).isFalse();
        assertThat(released).hasValue(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(broker.closedBy.get()).isNotNull().extracting(Thread::getName).isEqualTo("test-closer"));
        tail.close();
        assertThat(released).as("closing twice releases once").hasValue(1);
    }

    private static TailStream.SseSink sink(List<String> written) {
        return new TailStream.SseSink() {
            @Override
            public boolean writeQueueFull() {
                return false;
            }

            @Override
            public void write(String text) {
                written.add(text);
            }

            @Override
            public void end() {
                written.add("<end>");
            }
        };
    }
}

package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import io.github.bucket4j.Bucket;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {

    @TempDir
    Path titlesDir;

    private final AtomicInteger released = new AtomicInteger();

    private Tail tail(int bufferEvents) {
        return tail(bufferEvents, null);
    }

    private Tail tail(int bufferEvents, Bucket rate) {
        TitleRegistry titles = new TitleRegistry(titlesDir, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) {
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
        TailEvents events = new TailEvents(new ObjectMapper(), new EnvelopeCodec(), new PayloadRedaction(titles));
        return new Tail(TopicPattern.parse("halo.#"), true, 0, new TailBuffer(bufferEvents, 1_000_000), rate, events,
                released::incrementAndGet);
    }

    private static Delivery delivery(String exchange, String messageId, String body) {
        return new Delivery(new Envelope(1, false, exchange, "halo.prod.stats.match_end"),
                new AMQP.BasicProperties.Builder().messageId(messageId).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theConsumerStoresDeliveriesAsTheyCameAndOnlyThoseWrittenBecomeFrames() {
        Tail tail = tail(2);
        for (int i = 1; i <= 5; i++) {
            tail.received(delivery(i == 5 ? "gamewire.dlx" : "gamewire.events", "m" + i, "not a GWP frame " + i), i == 5);
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
    void overItsRateATailStoresNothingAndTellsWhatItSkippedWithTheNextEventAtMostOnceASecond() {
        // 2 a second, and a clock that stands still: no refill during the test
        Bucket rate = Bucket.builder().addLimit(limit -> limit.capacity(2).refillIntervally(2, Duration.ofHours(1))).build();
        Tail tail = tail(100, rate);
        for (int i = 1; i <= 6; i++) {
            tail.received(delivery("gamewire.events", "m" + i, "not a GWP frame " + i), false);
        }
        assertThat(tail.buffered()).as("only what the rate admitted is stored").isEqualTo(2);

        List<String> written = new ArrayList<>();
        long[] now = {1_000_000};
        TailStream stream = new TailStream(tail, sink(written), () -> now[0]);
        stream.drain();

        assertThat(written).hasSize(3);
        assertThat(written.get(0)).isEqualTo("event: dropped\ndata: {\"dropped\":4,\"totalDropped\":4}\n\n");
        assertThat(written.get(1)).startsWith("event: message\nid: m1\n");
        assertThat(written.get(2)).startsWith("event: message\nid: m2\n");
    }

    @Test
    void aBusyStreamGetsOneDroppedNoticeASecondAndOneDrainWritesABoundedNumberOfFrames() {
        Tail tail = tail(1000);
        for (int i = 1; i <= 200; i++) {
            tail.received(delivery("gamewire.events", "m" + i, "x"), false);
        }
        for (int i = 201; i <= 1300; i++) { // 300 more than the buffer: the oldest 300 are dropped
            tail.received(delivery("gamewire.events", "m" + i, "x"), false);
        }
        List<String> written = new ArrayList<>();
        long[] now = {1_000_000};
        TailStream stream = new TailStream(tail, sink(written), () -> now[0]);

        assertThat(stream.drain()).as("more to write after one drain's budget").isTrue();
        assertThat(written).hasSize(TailStream.FRAMES_PER_DRAIN + 1);
        assertThat(written.get(0)).contains("\"dropped\":300");

        for (int i = 0; i <= TailStream.FRAMES_PER_DRAIN; i++) { // the room the drain made, and one more: one dropped
            tail.received(delivery("gamewire.events", "late" + i, "x"), false);
        }
        stream.drain();
        assertThat(written.stream().filter(frame -> frame.startsWith("event: dropped"))).as("within the second").hasSize(1);
        now[0] += TailStream.DROPPED_NOTICE_EVERY.toMillis();
        stream.drain();
        assertThat(written.stream().filter(frame -> frame.startsWith("event: dropped")))
                .containsExactly("event: dropped\ndata: {\"dropped\":300,\"totalDropped\":300}\n\n",
                        "event: dropped\ndata: {\"dropped\":1,\"totalDropped\":301}\n\n");
    }

    @Test
    void closingEndsTheStreamAtOnceAndReleasesTheTailOnce() {
        Tail tail = tail(10);
        List<String> written = new ArrayList<>();
        TailStream stream = new TailStream(tail, sink(written));

        stream.clientGone();

        assertThat(tail.isOpen()).isFalse();
        assertThat(released).hasValue(1);
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

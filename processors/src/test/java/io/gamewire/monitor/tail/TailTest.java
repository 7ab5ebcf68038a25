package io.gamewire.monitor.tail;

import io.gamewire.testsupport.TestRegistries;
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
    private TailEvents events;
    private TitleRegistry titles;

    private Tail tail(int bufferEvents) {
        return tail(bufferEvents, null);
    }

    private Tail tail(int bufferEvents, Bucket rate) {
        if (titles == null) {
            titles = TestRegistries.applyingNothing(titlesDir);
        }
        if (events == null) { // one for all tails of a test, as Tails has
            events = new TailEvents(new ObjectMapper(), new EnvelopeCodec(), new PayloadRedaction(titles));
        }
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
    void tailsShownTheSameDeliveryShareItsFrame() {
        Tail first = tail(10);
        Tail second = tail(10);
        Delivery delivery = delivery("gamewire.events", "m1", "not a GWP frame");
        first.received(delivery, false);
        second.received(delivery, false);

        String shown = first.frame(first.take().delivery());
        String shownAgain = second.frame(second.take().delivery());
        second.received(delivery("gamewire.events", "m1", "not a GWP frame"), false);

        assertThat(shownAgain).as("decoded, redacted and serialised once").isSameAs(shown);
        assertThat(second.frame(second.take().delivery())).as("another delivery with the same bytes: its own frame")
                .isEqualTo(shown).isNotSameAs(shown);
    }

    @Test
    void aFrameMadeBeforeAReloadThatRedactsAFieldIsMadeAgain() throws Exception {
        String title = """
                title: arena
                environments: [prod]
                services:
                  accounts:
                    commands:
                      registered:
                        schema:
                          fields: {player: string, email: %s}
                        kv:
                          key: "registration:{payload.player}"
                          fields: {email: $.email}
                """;
        java.nio.file.Files.writeString(titlesDir.resolve("arena.yaml"), title.formatted("string"));
        Tail first = tail(10);
        Tail second = tail(10);
        assertThat(titles.reload().problems()).isEmpty();
        byte[] body = new EnvelopeCodec().encode(io.gamewire.protocol.Envelope.event(io.gamewire.protocol.MessageIds.next(),
                1L, "application/json", "arena.prod.accounts.registered",
                "{\"player\":\"p1\",\"email\":\"p1@example.com\"}".getBytes(StandardCharsets.UTF_8)));
        Delivery delivery = new Delivery(new Envelope(1, false, "gamewire.events", "arena.prod.accounts.registered"),
                new AMQP.BasicProperties.Builder().build(), body);
        first.received(delivery, false);
        second.received(delivery, false);
        assertThat(first.frame(first.take().delivery())).contains("p1@example.com");

        java.nio.file.Files.writeString(titlesDir.resolve("arena.yaml"), title.formatted("{type: string, redact: true}"));
        assertThat(titles.reload().problems()).isEmpty();

        assertThat(second.frame(second.take().delivery())).as("the slower tail, after the reload")
                .doesNotContain("p1@example.com").contains("\"email\":\"***\"");
    }

    @Test
    void oneDrainIsOneWriteWhateverTheFramesItHolds() {
        Tail tail = tail(100);
        for (int i = 1; i <= 10; i++) {
            tail.received(delivery("gamewire.events", "m" + i, "x"), false);
        }
        List<String> written = new ArrayList<>();
        int[] writes = new int[1];
        TailStream stream = new TailStream(tail, sink(written, writes));

        stream.drain();

        assertThat(written).hasSize(10);
        assertThat(writes[0]).as("a chunk and a flush per drain, not per frame").isEqualTo(1);
        stream.drain();
        assertThat(writes[0]).as("nothing to write, no write").isEqualTo(1);
    }

    @Test
    void oneDrainStopsGatheringPastItsCharacterBudget() {
        Tail tail = tail(100);
        String bigId = "m".repeat(10_000); // twice in the frame of a message that is no GWP frame: 20,000 characters
        for (int i = 0; i < 10; i++) {
            tail.received(delivery("gamewire.events", bigId + i, "x"), false);
        }
        List<String> written = new ArrayList<>();
        int[] writes = new int[1];
        TailStream stream = new TailStream(tail, sink(written, writes));

        assertThat(stream.drain()).as("more waiting").isTrue();
        assertThat(writes[0]).isEqualTo(1);
        assertThat(written).as("20,000-character frames until past " + TailStream.CHARS_PER_DRAIN).hasSize(4);
        while (stream.drain()) {
            // the rest, a budget at a time
        }
        assertThat(written).hasSize(10);
        assertThat(writes[0]).isEqualTo(3);
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

    /** A sink that records each frame (an SSE frame ends with a blank line) and counts the writes. */
    private static TailStream.SseSink sink(List<String> written) {
        return sink(written, new int[1]);
    }

    private static TailStream.SseSink sink(List<String> written, int[] writes) {
        return new TailStream.SseSink() {
            @Override
            public boolean writeQueueFull() {
                return false;
            }

            @Override
            public void write(String text) {
                writes[0]++;
                for (int start = 0; start < text.length(); ) {
                    int end = text.indexOf("\n\n", start);
                    end = end < 0 ? text.length() : end + 2;
                    written.add(text.substring(start, end));
                    start = end;
                }
            }

            @Override
            public void end() {
                written.add("<end>");
            }
        };
    }
}

package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.camel.GwpDataFormat;
import io.gamewire.sinks.sql.StoredEvent;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

class ConsumedEventsTest {

    private static final String KEY = "t.prod.s.match_end";

    /** What the channel was sent, as "ack 5", "ack 5+" (multiple) or "requeue 5". */
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final Channel channel = recordingChannel();
    private final List<StoredEvent> written = new CopyOnWriteArrayList<>();
    private volatile Function<List<StoredEvent>, List<Throwable>> outcome = batch -> Collections.nCopies(batch.size(), null);
    /** What the route was given: the delivery tag and whether its ack state took it as a new delivery. */
    private final List<String> routed = new CopyOnWriteArrayList<>();
    /** Holds the writer until the test has handed over every message, so no completion races a listener call. */
    private final java.util.concurrent.CountDownLatch handedOver = new java.util.concurrent.CountDownLatch(1);
    private SinkBatcher batcher;

    /** Camel's listener failing before the route's first step, as a failing message converter would. */
    private volatile boolean routeFailsAtOnce;
    /** Stands for Camel's listener and the route behind it: registers the delivery and acks it (stored or dead-lettered). */
    private final ChannelAwareMessageListener route = (message, channel) -> {
        if (routeFailsAtOnce) {
            throw new IllegalStateException("no exchange made");
        }
        long tag = message.getMessageProperties().getDeliveryTag();
        ChannelAcks acks = ManualAck.acksOf(channel, 5);
        routed.add(tag + (acks.register(tag) ? " new" : " adopted"));
        ManualAck.succeeded(acks, tag);
    };

    @AfterEach
    void stop() {
        if (batcher != null) {
            batcher.stop();
        }
    }

    private ConsumedEvents listener(int batchSize) {
        batcher = new SinkBatcher(batch -> {
            try {
                handedOver.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.addAll(batch);
            return outcome.apply(batch);
        }, batchSize, 60_000, 1);
        batcher.start();
        return new ConsumedEvents(route, batcher, new GwpDataFormat(), 5);
    }

    private static Message message(long deliveryTag, byte[] body) {
        Message message = MessageBuilder.withBody(body).build();
        message.getMessageProperties().setDeliveryTag(deliveryTag);
        return message;
    }

    private static byte[] frame(FrameType type, UUID id, String payload) throws Exception {
        return new EnvelopeCodec().encode(new Envelope(type, id, null, 1_700_000_000_000L, "application/json", KEY,
                Map.of("gw-source", "tcp"), ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void eventsAreStoredAndAckedTogetherWhenTheirBatchIsWrittenWithoutTheRoute() throws Exception {
        ConsumedEvents events = listener(3);
        List<UUID> ids = new ArrayList<>();
        for (long tag = 1; tag <= 3; tag++) {
            UUID id = MessageIds.next();
            ids.add(id);
            events.onMessage(message(tag, frame(FrameType.EVENT, id, "{\"n\":" + tag + "}")), channel);
        }
        handedOver.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertThat(frames).containsExactly("ack 3+");
        assertThat(routed).isEmpty();
        assertThat(written).extracting(StoredEvent::messageId).containsExactlyElementsOf(ids);
        StoredEvent first = written.get(0);
        assertThat(first.routingKey().toString()).isEqualTo(KEY);
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(first.attributes()).containsEntry("gw-source", "tcp");
    }

    @Test
    void aRequestAndABodyThatIsNotOneFrameGoToTheRouteAsTheyCame() throws Exception {
        ConsumedEvents events = listener(1);

        events.onMessage(message(1, frame(FrameType.REQUEST, MessageIds.next(), "{}")), channel);
        events.onMessage(message(2, "not a GWP frame".getBytes(StandardCharsets.UTF_8)), channel);
        byte[] trailing = frame(FrameType.EVENT, MessageIds.next(), "{}");
        trailing = java.util.Arrays.copyOf(trailing, trailing.length + 1);
        events.onMessage(message(3, trailing), channel);

        assertThat(routed).containsExactly("1 new", "2 new", "3 new");
        assertThat(written).isEmpty();
        assertThat(frames).containsExactly("ack 1+", "ack 2+", "ack 3+");
    }

    @Test
    void anEventWhoseBatchFailedGoesToTheRouteWhichAdoptsItsDeliverySoTheAcksStayTogether() throws Exception {
        ConsumedEvents events = listener(3);
        UUID failing = MessageIds.next();
        outcome = batch -> batch.stream()
                .map(event -> event.messageId().equals(failing) ? (Throwable) new IllegalStateException("refused") : null)
                .toList();

        events.onMessage(message(1, frame(FrameType.EVENT, MessageIds.next(), "{}")), channel);
        events.onMessage(message(2, frame(FrameType.EVENT, failing, "{}")), channel);
        events.onMessage(message(3, frame(FrameType.EVENT, MessageIds.next(), "{}")), channel);
        handedOver.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertThat(routed).containsExactly("2 adopted");
        assertThat(frames).as("one multiple ack, never one ack per delivery").containsExactly("ack 3+");
    }

    @Test
    void anEventTheStoppedSinksRefuseGoesToTheRouteAtOnce() throws Exception {
        ConsumedEvents events = listener(3);
        batcher.stop();

        events.onMessage(message(1, frame(FrameType.EVENT, MessageIds.next(), "{}")), channel);

        assertThat(routed).containsExactly("1 adopted");
        assertThat(written).isEmpty();
    }

    @Test
    void anEventTheRouteFailsBeforeItsFirstStepIsRequeuedNotLeftUnacknowledged() throws Exception {
        ConsumedEvents events = listener(1);
        handedOver.countDown();
        outcome = batch -> Collections.nCopies(batch.size(), new IllegalStateException("refused"));
        routeFailsAtOnce = true;

        events.onMessage(message(1, frame(FrameType.EVENT, MessageIds.next(), "{}")), channel);

        await().atMost(Duration.ofSeconds(10)).until(() -> !frames.isEmpty());
        assertThat(frames).containsExactly("requeue 1");
    }

    /** A channel that records acks and requeues; equal only to itself. */
    private Channel recordingChannel() {
        return (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "basicAck" -> frames.add("ack " + args[0] + ((Boolean) args[1] ? "+" : "")) ? null : null;
                    case "basicNack" -> frames.add("requeue " + args[0]) ? null : null;
                    case "isOpen" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recording channel";
                    default -> null;
                });
    }
}

package io.gamewire.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher's lanes against a broker of proxies that records every publish with the connection
 * (lane) it came on, in the order the broker received them, and confirms only when told: a
 * {@link PublishOrder} keeps one source on one lane, in the order it published; without one the
 * publishes go round the lanes; orders spread over the lanes by how many are open on each.
 */
class ConfirmingPublisherTest {

    private static final int LANES = 4;
    private static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder().build();

    private final RecordingBroker broker = new RecordingBroker();
    private final ConfirmingPublisher publisher = new ConfirmingPublisher(broker.factory, "test-publisher", LANES, 5_000);

    @AfterEach
    void close() {
        publisher.close();
    }

    private static byte[] body(int source, int n) {
        return ByteBuffer.allocate(8).putInt(source).putInt(n).array();
    }

    @Test
    void thePublishesOfOneOrderGoOnOneLaneInTheOrderTheyWereMadeWhileOtherSourcesPublishToo() throws Exception {
        int sources = 6;
        int each = 2_000;
        List<PublishOrder> orders = IntStream.range(0, sources).mapToObj(i -> publisher.openOrder()).toList();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int source = 0; source < sources; source++) {
            int s = source;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < each; n++) {
                    publisher.publish(orders.get(s), "events", "t.e.s.c", PROPERTIES, body(s, n));
                    // unordered traffic on the same lanes at the same time
                    publisher.publish("events", "t.e.s.other", PROPERTIES, body(-1, n));
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> broker.received.size() == 2 * sources * each);

        for (int source = 0; source < sources; source++) {
            int s = source;
            List<RecordingBroker.Received> ofSource = broker.received.stream().filter(r -> r.source() == s).toList();
            assertThat(ofSource).extracting(RecordingBroker.Received::n).as("source %d as the broker received it", s)
                    .containsExactlyElementsOf(IntStream.range(0, each).boxed().toList());
            assertThat(ofSource).extracting(RecordingBroker.Received::connection).as("source %d's connections", s)
                    .containsOnly("test-publisher-" + orders.get(s).lane());
        }
        assertThat(broker.received.stream().filter(r -> r.source() == -1).map(RecordingBroker.Received::connection)
                .distinct()).as("unordered publishes take every lane").hasSize(LANES);
    }

    @Test
    void withoutAnOrderEachPublishTakesTheNextLane() throws Exception {
        for (int n = 0; n < 2 * LANES; n++) {
            publisher.publish("events", "t.e.s.c", PROPERTIES, body(0, n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received.size() == 2 * LANES);

        Map<String, Long> perConnection = new ConcurrentHashMap<>();
        broker.received.forEach(r -> perConnection.merge(r.connection(), 1L, Long::sum));
        assertThat(perConnection).hasSize(LANES).allSatisfy((connection, count) -> assertThat(count).isEqualTo(2));
    }

    @Test
    void ordersSpreadOverTheLanesByHowManyAreOpenOnEach() {
        List<PublishOrder> first = IntStream.range(0, LANES).mapToObj(i -> publisher.openOrder()).toList();
        assertThat(first).extracting(PublishOrder::lane).as("one source per lane").containsExactlyInAnyOrder(0, 1, 2, 3);

        PublishOrder second = publisher.openOrder();
        first.get(2).close();
        first.get(1).close();
        first.get(1).close(); // twice counts once
        PublishOrder third = publisher.openOrder();
        PublishOrder fourth = publisher.openOrder();

        assertThat(List.of(third.lane(), fourth.lane())).as("the lanes the closed orders left")
                .containsExactlyInAnyOrder(first.get(1).lane(), first.get(2).lane());
        assertThat(second.lane()).isNotIn(third.lane(), fourth.lane());
        second.close();
        assertThat(publisher.openOrders()).containsExactly(1, 1, 1, 1);
        assertThat(publisher.openOrder().lane()).as("all equal again: the one after the last given")
                .isEqualTo((fourth.lane() + 1) % LANES);
        PublishOrder.NONE.close();
        assertThat(PublishOrder.NONE.lane()).isEqualTo(-1);
    }

    @Test
    void eachPublishOfAnOrderIsConfirmedOnItsOwnAndAMultipleConfirmSettlesARange() throws Exception {
        broker.confirmAutomatically = false;
        PublishOrder order = publisher.openOrder();
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            confirms.add(publisher.publish(order, "events", "t.e.s.c", PROPERTIES, body(0, n)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received.size() == 5);
        ConfirmCallback confirm = broker.confirms.get("test-publisher-" + order.lane());

        confirm.handle(2, false);
        assertThat(confirms).extracting(CompletableFuture::isDone).containsExactly(false, true, false, false, false);
        confirm.handle(4, true);
        assertThat(confirms).extracting(CompletableFuture::isDone).containsExactly(true, true, true, true, false);
        confirm.handle(5, false);
        CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(publisher.unconfirmed()).isZero();
    }

    @Test
    void anOrderThatHoldsHandsItsPublishesToItsLaneTogetherInOrderOnlyWhenToldTo() throws Exception {
        PublishOrder order = publisher.openOrder();
        order.hold();
        List<CompletableFuture<Void>> held = IntStream.range(0, 3)
                .mapToObj(n -> publisher.publish(order, "events", "t.e.s.c", PROPERTIES, body(1, n))).toList();
        // one publish without an order on every lane: each lane's thread has run all handed to it before
        for (int lane = 0; lane < LANES; lane++) {
            publisher.publish("events", "t.e.s.c", PROPERTIES, body(0, lane));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received.size() == LANES);
        assertThat(broker.received).as("nothing held was sent").allMatch(received -> received.source() == 0);
        assertThat(held).noneMatch(CompletableFuture::isDone);

        order.handOver();

        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(broker.received.stream().filter(received -> received.source() == 1))
                .extracting(RecordingBroker.Received::connection, RecordingBroker.Received::n)
                .containsExactly(tuple("test-publisher-" + order.lane(), 0), tuple("test-publisher-" + order.lane(), 1),
                        tuple("test-publisher-" + order.lane(), 2));
        CompletableFuture<Void> notHeld = publisher.publish(order, "events", "t.e.s.c", PROPERTIES, body(1, 3));
        notHeld.get(10, TimeUnit.SECONDS);
    }

    @Test
    void publishesHeldWhenThePublisherClosesFailOnTheirHandOver() {
        PublishOrder order = publisher.openOrder();
        order.hold();
        CompletableFuture<Void> held = publisher.publish(order, "events", "t.e.s.c", PROPERTIES, body(1, 0));

        publisher.close();
        order.handOver();

        assertThat(held).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(broker.received).isEmpty();
    }

    @Test
    void theConfirmedListenersAreToldOfAConfirmBeforeItsFutureCompletesAndNeverOfARefusal() throws Exception {
        broker.confirmAutomatically = false;
        List<String> told = new CopyOnWriteArrayList<>();
        publisher.onConfirmed((exchange, routingKey, properties, bytes) -> {
            throw new IllegalStateException("a broken listener");
        });
        publisher.onConfirmed((exchange, routingKey, properties, bytes) -> told.add(routingKey + " " + bytes));
        PublishOrder order = publisher.openOrder();
        CompletableFuture<Void> confirmed = publisher.publish(order, "events", "t.e.s.confirmed", PROPERTIES, body(0, 0));
        CompletableFuture<Void> refused = publisher.publish(order, "events", "t.e.s.refused", PROPERTIES, body(0, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.received.size() == 2);
        CompletableFuture<List<String>> toldWhenConfirmed = confirmed.thenApply(done -> List.copyOf(told));

        broker.confirms.get("test-publisher-" + order.lane()).handle(1, false);
        broker.nacks.get("test-publisher-" + order.lane()).handle(2, false);

        assertThat(toldWhenConfirmed.get(5, TimeUnit.SECONDS)).as("counted before the caller hears of it, "
                + "past a listener that failed").containsExactly("t.e.s.confirmed 8");
        assertThat(refused).isCompletedExceptionally();
        assertThat(told).as("a nack is not counted").containsExactly("t.e.s.confirmed 8");
    }

    /**
     * Connections and channels as proxies: each basic.publish is recorded, in one list for the
     * whole broker, with the name of the connection it came on; confirms are given at once, or by
     * the test through the channel's confirm callback.
     */
    private static final class RecordingBroker {

        record Received(String connection, int source, int n) {
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        final Map<String, ConfirmCallback> confirms = new ConcurrentHashMap<>();
        final Map<String, ConfirmCallback> nacks = new ConcurrentHashMap<>();
        volatile boolean confirmAutomatically = true;

        final ConnectionFactory factory = new ConnectionFactory() {
            @Override
            public Connection newConnection(String name) {
                return fake(Connection.class, name, Map.of("createChannel", args -> channel(name)));
            }
        };

        private Channel channel(String connection) {
            AtomicLong nextTag = new AtomicLong(1);
            return fake(Channel.class, connection + " channel", Map.of(
                    "getNextPublishSeqNo", args -> nextTag.get(),
                    "addConfirmListener", args -> {
                        confirms.put(connection, (ConfirmCallback) args[0]);
                        nacks.put(connection, (ConfirmCallback) args[1]);
                        return null;
                    },
                    "basicPublish", args -> {
                        ByteBuffer body = ByteBuffer.wrap((byte[]) args[args.length - 1]);
                        received.add(new Received(connection, body.getInt(), body.getInt()));
                        long tag = nextTag.getAndIncrement();
                        if (confirmAutomatically) {
                            confirms.get(connection).handle(tag, false);
                        }
                        return null;
                    }));
        }

        /** What a faked method does with its arguments. */
        @FunctionalInterface
        private interface Answer {
            Object answer(Object[] args) throws Exception;
        }

        /** A {@code type} whose methods named in {@code answers} answer so; else open, equal to itself only, null. */
        private static <T> T fake(Class<T> type, String name, Map<String, Answer> answers) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        Answer answer = answers.get(method.getName());
                        if (answer != null) {
                            return answer.answer(args);
                        }
                        return switch (method.getName()) {
                            case "isOpen" -> true;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            case "toString" -> "fake " + name;
                            default -> null;
                        };
                    }));
        }
    }
}

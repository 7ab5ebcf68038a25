package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelAcksTest {

    /** Never fires within a test: the release after a time without progress is tested on its own. */
    private static final long NEVER_MS = 3_600_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** What went on the wire, as "ack 5", "ack 5+" (multiple) or "requeue 5". */
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final ChannelAcks.Wire wire = new ChannelAcks.Wire() {
        @Override
        public void ack(long deliveryTag, boolean multiple) {
            frames.add("ack " + deliveryTag + (multiple ? "+" : ""));
        }

        @Override
        public void requeue(long deliveryTag) {
            frames.add("requeue " + deliveryTag);
        }
    };

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private ChannelAcks registered(int holdLimit, long... tags) {
        ChannelAcks acks = new ChannelAcks(wire, holdLimit, timer, NEVER_MS);
        for (long tag : tags) {
            acks.register(tag);
        }
        return acks;
    }

    @Test
    void aDeferredBatchIsOneMultipleAckAtItsEnd() {
        ChannelAcks acks = registered(10, 1, 2, 3, 4);
        for (long tag = 1; tag <= 4; tag++) {
            acks.succeeded(tag, true);
        }
        assertThat(frames).isEmpty();
        acks.flush();
        assertThat(frames).containsExactly("ack 4+");
    }

    @Test
    void withoutDeferringEachCompletionAcksWhatIsDue() {
        ChannelAcks acks = registered(10, 1, 2);
        acks.succeeded(1, false);
        acks.succeeded(2, false);
        assertThat(frames).containsExactly("ack 1+", "ack 2+");
    }

    @Test
    void doneDeliveriesWaitForAnEarlierOneThatIsNotDone() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(2, false);
        acks.succeeded(3, false);
        assertThat(frames).as("a multiple ack of 3 would cover 1, which is not done").isEmpty();
        acks.succeeded(1, false);
        assertThat(frames).containsExactly("ack 3+");
    }

    @Test
    void aRequeueGoesAtOnceAloneAndTheAckAfterItNeverNamesIt() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(1, true);
        acks.failed(2);
        acks.succeeded(3, true);
        acks.flush();
        assertThat(frames).containsExactly("requeue 2", "ack 1+", "ack 3+");
    }

    @Test
    void aBatchEndingInARequeueAcksUpToTheLastDoneDeliveryBeforeIt() {
        ChannelAcks acks = registered(10, 1, 2);
        acks.succeeded(1, true);
        acks.failed(2);
        assertThat(frames).as("the ack due must name 1, a delivery still unacked, never the requeued 2")
                .containsExactly("requeue 2", "ack 1+");
    }

    @Test
    void pastTheHoldLimitDeliveriesWaitingBehindASlowOneAreAckedAlone() {
        ChannelAcks acks = registered(2, 1, 2, 3, 4, 5);
        acks.succeeded(2, false);
        acks.succeeded(3, false);
        assertThat(frames).isEmpty();
        acks.succeeded(4, false);
        assertThat(frames).as("three wait behind 1, more than the limit of 2").containsExactly("ack 2", "ack 3", "ack 4");
        acks.succeeded(1, false);
        assertThat(frames).as("1 is the last unacked delivery up to 4").endsWith("ack 1+");
        acks.succeeded(5, false);
        assertThat(frames).endsWith("ack 5+");
    }

    @Test
    void doneDeliveriesHeldBehindAStuckOneAreAckedAloneAfterATimeWithoutProgress() {
        // prefetch 20: tags 1-10 are being retried, 11-20 are done; at the hold limit of 10 they
        // would wait for 1, and with all 20 unacked the broker would send this consumer nothing more
        ChannelAcks acks = new ChannelAcks(wire, 10, timer, 50);
        for (long tag = 1; tag <= 20; tag++) {
            acks.register(tag);
        }
        for (long tag = 11; tag <= 20; tag++) {
            acks.succeeded(tag, false);
        }
        assertThat(frames).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(frames).hasSize(10));
        assertThat(frames).containsExactly("ack 11", "ack 12", "ack 13", "ack 14", "ack 15", "ack 16", "ack 17",
                "ack 18", "ack 19", "ack 20");
        for (long tag = 1; tag <= 10; tag++) {
            acks.succeeded(tag, true);
        }
        acks.flush();
        assertThat(frames).as("one ack for 1-10; 11-20 are acked already and never named again").endsWith("ack 10+")
                .hasSize(11);
    }

    @Test
    void withProgressMeanwhileHeldDeliveriesWaitForTheMultipleAck() {
        ChannelAcks acks = new ChannelAcks(wire, 10, timer, 100);
        acks.register(1);
        acks.register(2);
        acks.succeeded(2, false);
        acks.succeeded(1, false);
        assertThat(frames).containsExactly("ack 2+");
        // the timer finds nothing held back, and sends nothing
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(frames).containsExactly("ack 2+"));
    }

    @Test
    void tooManyDoneBehindAStuckDeliveryTurnTheChannelToOneByOneAndKeepNothing() {
        ChannelAcks bounded = new ChannelAcks(wire, 0, timer, NEVER_MS);
        for (long tag = 1; tag <= 1_100; tag++) {
            bounded.register(tag);
        }
        for (long tag = 2; tag <= 1_100; tag++) {
            bounded.failed(tag); // requeued ones wait behind 1 too, and are kept
        }
        assertThat(frames.stream().filter(f -> f.startsWith("requeue"))).hasSize(1_099);
        bounded.succeeded(1, false);
        assertThat(frames).as("once 1,024 had waited behind 1, the channel went one by one: 1 is acked alone")
                .endsWith("ack 1");
    }

    @Test
    void aTagOutOfOrderTurnsTheChannelToOneAckPerDeliveryForGood() {
        ChannelAcks acks = registered(10, 1, 2, 3);
        acks.succeeded(1, true);
        acks.succeeded(3, true);
        acks.register(5); // 4 never reached the route: no multiple ack may cover it
        assertThat(frames).containsExactly("ack 1+", "ack 3");
        acks.succeeded(5, true);
        acks.succeeded(2, true);
        acks.register(6);
        acks.succeeded(6, true);
        acks.flush();
        assertThat(frames).containsExactly("ack 1+", "ack 3", "ack 5", "ack 2", "ack 6");
    }

    @Test
    void aChannelWhoseFirstDeliveryIsNotTagOneAcksOneByOne() {
        ChannelAcks acks = registered(10, 7, 8);
        acks.succeeded(7, true);
        acks.succeeded(8, true);
        acks.flush();
        assertThat(frames).containsExactly("ack 7", "ack 8");
    }

    @Test
    void aClosedChannelIsNotAnError() {
        ChannelAcks.Wire closed = new ChannelAcks.Wire() {
            @Override
            public void ack(long deliveryTag, boolean multiple) throws IOException {
                throw new IOException("channel closed");
            }

            @Override
            public void requeue(long deliveryTag) throws IOException {
                throw new IOException("channel closed");
            }
        };
        ChannelAcks acks = new ChannelAcks(closed, 10, timer, NEVER_MS);
        acks.register(1);
        acks.register(2);
        acks.succeeded(1, false);
        acks.failed(2);
        acks.flush();
    }

    /**
     * Many random runs against a broker that checks every frame as RabbitMQ does: an ack must name
     * a delivery still unacked, a multiple ack must cover only deliveries that are done, and every
     * done delivery is acked (or requeued) exactly once in the end. Completions come from several
     * threads, some in deferred batches, some fail, and some deliveries never reach the route.
     */
    @Test
    void noFrameEverCoversADeliveryThatIsNotDoneOrNamesOneThatIsNotUnacked() throws Exception {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            boolean gaps = seed % 4 == 0;
            StrictBroker broker = new StrictBroker();
            ChannelAcks acks = new ChannelAcks(broker, random.nextInt(6), timer, 1 + random.nextInt(5));
            List<Long> inFlight = new ArrayList<>();
            List<Thread> completers = new ArrayList<>();
            long tag = 0;
            for (int step = 0; step < 400; step++) {
                tag++;
                broker.delivered(tag);
                if (gaps && random.nextInt(300) == 0) {
                    continue; // never reaches the route: nobody may ack it
                }
                acks.register(tag);
                inFlight.add(tag);
                if (inFlight.size() >= 1 + random.nextInt(12)) {
                    List<Long> batch = new ArrayList<>(inFlight);
                    java.util.Collections.shuffle(batch, random);
                    inFlight.clear();
                    long batchSeed = random.nextLong();
                    Thread completer = new Thread(() -> complete(acks, broker, batch, new Random(batchSeed)));
                    completers.add(completer);
                    completer.start();
                }
            }
            complete(acks, broker, inFlight, random);
            for (Thread completer : completers) {
                completer.join();
            }
            int run = seed;
            assertThat(broker.errors).as("seed %d", run).isEmpty();
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(broker.doneButUnacked()).as("seed %d: done deliveries never acked", run).isEmpty());
        }
    }

    private static void complete(ChannelAcks acks, StrictBroker broker, List<Long> batch, Random random) {
        boolean deferred = random.nextBoolean();
        for (long tag : batch) {
            if (random.nextInt(20) == 0) {
                acks.failed(tag);
            } else {
                broker.done(tag);
                acks.succeeded(tag, deferred);
            }
        }
        if (deferred) {
            acks.flush();
        }
    }

    /** A broker's side of one channel, failing a frame as RabbitMQ would (and for what would lose data). */
    private static final class StrictBroker implements ChannelAcks.Wire {
        final Set<Long> unacked = new TreeSet<>();
        final Set<Long> done = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();

        synchronized void delivered(long tag) {
            unacked.add(tag);
        }

        void done(long tag) {
            done.add(tag);
        }

        @Override
        public synchronized void ack(long tag, boolean multiple) {
            if (!unacked.contains(tag)) {
                errors.add("unknown delivery tag " + tag + (multiple ? " (multiple)" : ""));
                return;
            }
            List<Long> covered = multiple ? new ArrayList<>(((TreeSet<Long>) unacked).headSet(tag, true)) : List.of(tag);
            for (long t : covered) {
                if (!done.contains(t)) {
                    errors.add("ack " + tag + (multiple ? "+" : "") + " covers delivery " + t + ", which is not done");
                }
                unacked.remove(t);
            }
        }

        @Override
        public synchronized void requeue(long tag) {
            if (!unacked.remove(tag)) {
                errors.add("requeue of unknown delivery tag " + tag);
            }
        }

        synchronized List<Long> doneButUnacked() {
            return unacked.stream().filter(done::contains).toList();
        }
    }
}

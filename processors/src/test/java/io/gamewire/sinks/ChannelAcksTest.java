package io.gamewire.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelAcksTest {

    /** Keeps the release checks ChannelAcks schedules, for the test to run when it says. */
    private final CapturingTimer timer = new CapturingTimer();
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
        ChannelAcks acks = new ChannelAcks(wire, holdLimit, timer, 200);
        for (long tag : tags) {
            acks.register(tag);
        }
        return acks;
    }

    @Test
    void aDeliveryRegisteredAgainWhileUnfinishedIsAdoptedAndKeepsTheMultipleAcks() {
        ChannelAcks acks = registered(10, 1, 2, 3);

        // the route takes delivery 2 from ConsumedEvents after its batch failed
        assertThat(acks.register(2)).as("adopted, not a new delivery").isFalse();
        assertThat(acks.register(4)).isTrue();
        for (long tag = 1; tag <= 4; tag++) {
            acks.succeeded(tag, true);
        }
        acks.flush();

        assertThat(frames).containsExactly("ack 4+");
    }

    @Test
    void aFailureWhereNothingMayHaveSettledADeliveryRequeuesItOnlyIfItIsUnfinished() {
        ChannelAcks acks = registered(10, 1, 2);
        acks.succeeded(1, false);

        acks.failedIfUnfinished(1);
        acks.failedIfUnfinished(2);
        acks.failedIfUnfinished(2);

        assertThat(frames).containsExactly("ack 1+", "requeue 2");
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
    void pastTheHoldLimitDeliveriesHeldBehindASlowOneAreAckedAlone() {
        ChannelAcks acks = registered(2, 1, 2, 3, 4, 5);
        acks.succeeded(2, false);
        acks.succeeded(3, false);
        assertThat(frames).isEmpty();
        acks.succeeded(4, false);
        assertThat(frames).as("three held behind 1, more than the limit of 2").containsExactly("ack 2", "ack 3", "ack 4");
        acks.succeeded(1, false);
        assertThat(frames).as("1 is the only unacked delivery up to 4").endsWith("ack 1+");
        acks.succeeded(5, false);
        assertThat(frames).endsWith("ack 5+");
    }

    @Test
    void deliveriesHeldBehindAStuckOneAreAckedAloneWhenTheTimerFindsNoProgress() {
        // prefetch 20: tags 1-10 are being retried, 11-20 are done; at the hold limit of 10 they
        // would wait for 1, and with all 20 unacked the broker would send this consumer nothing more
        ChannelAcks acks = registered(10);
        for (long tag = 1; tag <= 20; tag++) {
            acks.register(tag);
        }
        for (long tag = 11; tag <= 20; tag++) {
            acks.succeeded(tag, false);
        }
        assertThat(frames).isEmpty();
        assertThat(timer.runAll()).as("one release check scheduled").isEqualTo(1);
        assertThat(frames).containsExactly("ack 11", "ack 12", "ack 13", "ack 14", "ack 15", "ack 16", "ack 17",
                "ack 18", "ack 19", "ack 20");
        for (long tag = 1; tag <= 10; tag++) {
            acks.succeeded(tag, true);
        }
        acks.flush();
        assertThat(frames).as("one ack for 1-10; 11-20 are acked already and never named again").endsWith("ack 10+")
                .hasSize(11);
        assertThat(timer.runAll()).as("nothing held: no check left").isZero();
    }

    @Test
    void withProgressTheTimerLooksAgainLaterInsteadOfReleasing() {
        ChannelAcks acks = registered(10, 1, 2, 3, 4);
        acks.succeeded(3, false); // held behind 1 and 2
        acks.succeeded(1, false);
        assertThat(frames).containsExactly("ack 1+");
        assertThat(timer.runAll()).isEqualTo(1);
        assertThat(frames).as("the lowest unfinished moved from 1 to 2: 3 is still held").containsExactly("ack 1+");
        assertThat(timer.runAll()).as("looked again later").isEqualTo(1);
        assertThat(frames).as("2 stayed unfinished all along: 3 is acked alone").containsExactly("ack 1+", "ack 3");
        acks.succeeded(2, false);
        assertThat(frames).containsExactly("ack 1+", "ack 3", "ack 2+");
    }

    @Test
    void aTimerThatTakesNoMoreWorkMeansNothingIsHeld() {
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdownNow();
        ChannelAcks acks = new ChannelAcks(wire, 10, stopped, 200);
        acks.register(1);
        acks.register(2);
        acks.succeeded(2, false);
        assertThat(frames).containsExactly("ack 2");
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
        List<String> tried = new ArrayList<>();
        ChannelAcks.Wire closed = new ChannelAcks.Wire() {
            @Override
            public void ack(long deliveryTag, boolean multiple) throws IOException {
                tried.add("ack " + deliveryTag);
                throw new IOException("channel closed");
            }

            @Override
            public void requeue(long deliveryTag) throws IOException {
                tried.add("requeue " + deliveryTag);
                throw new IOException("channel closed");
            }
        };
        ChannelAcks acks = new ChannelAcks(closed, 10, timer, 200);
        acks.register(1);
        acks.register(2);
        acks.succeeded(1, false);
        acks.failed(2);
        acks.flush();
        assertThat(tried).containsExactly("ack 1", "requeue 2");
    }

    /**
     * Many random runs against a broker that checks every frame as RabbitMQ does: an ack must name
     * a delivery still unacked, a multiple ack must cover only deliveries that are done, and every
     * done delivery is acked (or requeued) in the end, also while some stay unfinished (only the
     * timer's release acks what is held behind them). Completions come from several threads, some
     * in deferred batches, some fail, and in some runs a delivery never reaches the route.
     */
    @Test
    void noFrameEverCoversADeliveryThatIsNotDoneOrNamesOneThatIsNotUnacked() throws Exception {
        ScheduledExecutorService realTimer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int seed = 0; seed < 200; seed++) {
                randomRun(seed, realTimer);
            }
        } finally {
            realTimer.shutdownNow();
        }
    }

    private static void randomRun(int seed, ScheduledExecutorService realTimer) throws InterruptedException {
        Random random = new Random(seed);
        boolean gaps = seed % 4 == 0;
        StrictBroker broker = new StrictBroker();
        ChannelAcks acks = new ChannelAcks(broker, random.nextInt(6), realTimer, 1 + random.nextInt(5));
        List<Long> inFlight = new ArrayList<>();
        List<Long> stuck = new ArrayList<>();
        List<Thread> completers = new ArrayList<>();
        for (long tag = 1; tag <= 400; tag++) {
            broker.delivered(tag);
            if (gaps && random.nextInt(300) == 0) {
                continue; // never reaches the route: nobody may ack it
            }
            acks.register(tag);
            if (seed % 2 == 1 && random.nextInt(150) == 0) {
                stuck.add(tag); // finishes only at the very end
                continue;
            }
            inFlight.add(tag);
            if (inFlight.size() >= 1 + random.nextInt(12)) {
                List<Long> batch = new ArrayList<>(inFlight);
                Collections.shuffle(batch, random);
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
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.doneButUnacked())
                        .as("seed %d: done deliveries never acked while %s stay unfinished", seed, stuck).isEmpty());
        complete(acks, broker, stuck, random);
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(broker.doneButUnacked()).as("seed %d: at the end", seed).isEmpty());
        assertThat(broker.errors).as("seed %d", seed).isEmpty();
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

    /** A timer that only keeps what is scheduled on it, until the test runs it. */
    private static final class CapturingTimer extends ScheduledThreadPoolExecutor {
        private final List<Runnable> tasks = new ArrayList<>();

        CapturingTimer() {
            super(1);
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            tasks.add(task);
            return null;
        }

        /** Runs what was scheduled so far (a task may schedule another, for the next call); how many ran. */
        synchronized int runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
            return due.size();
        }
    }

    /** A broker's side of one channel, failing a frame as RabbitMQ would (and for what would lose data). */
    private static final class StrictBroker implements ChannelAcks.Wire {
        final TreeSet<Long> unacked = new TreeSet<>();
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
            List<Long> covered = multiple ? new ArrayList<>(unacked.headSet(tag, true)) : List.of(tag);
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

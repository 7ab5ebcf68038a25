package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's crash ({@code -Pservices,faults}): gamewire, in a process of its own, is killed
 * with SIGKILL {@code gamewire.faults.kills} times (10 by default) under the steady mixed load of
 * {@link FaultLoad}, and started again each time. Clients resend what had no answer with the same
 * message id. At the end every acknowledged event is stored exactly once with its KV record
 * ({@link FaultOutcome}), counted by a last start in the test's JVM. The peak heap is the killed
 * processes' own, sampled from their {@code /observe/metrics}.
 */
class GamewireKillFaultsIT {

    private static final int RATE = Integer.getInteger("gamewire.faults.rate", 1000);
    private static final int KILLS = Integer.getInteger("gamewire.faults.kills", 10);
    /** Acknowledged events between two kills, as seconds of the offered rate. */
    private static final int SECONDS_BETWEEN_KILLS = 4;
    private static final Duration AFTER = Duration.ofSeconds(15);

    private final ProcessHeap heap = new ProcessHeap();

    @Test
    void killedTenTimesUnderMixedLoadGamewireLosesNoAcknowledgedEventAndStoresEachOnce() throws Exception {
        assertThat(GamewireUnderTest.SERVICES).as("the fault suite runs on the real services: -Pservices,faults").isTrue();
        assertThat(KILLS).as("gamewire.faults.kills").isPositive();
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            TestDatabase database = TestDatabase.direct(gw);
            Process process = gw.startProcess(Map.of());
            double downSeconds = 0;
            double longestRecovery = 0;
            Set<UUID> ackedAfterRecovery;
            FaultLoad load = null;
            try {
                await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                load = new FaultLoad(gw, RATE).start();
                FaultLoad running = load;
                await().atMost(Duration.ofSeconds(40)).until(() -> FaultOutcome.stored(database) >= RATE);
                for (int kill = 1; kill <= KILLS; kill++) {
                    long target = load.acked.size() + (long) RATE * SECONDS_BETWEEN_KILLS;
                    await().atMost(Duration.ofSeconds(60)).failFast(running::assertNothingRefused)
                            .until(() -> {
                                heap.sample(gw);
                                return running.acked.size() >= target;
                            });
                    process.destroyForcibly(); // SIGKILL: no drain, no flush, no shutdown hook
                    process.waitFor();
                    long killedAt = System.nanoTime();
                    process = gw.startProcess(Map.of());
                    await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                    double down = (System.nanoTime() - killedAt) / 1e9;
                    downSeconds += down;
                    longestRecovery = Math.max(longestRecovery, down);
                }
                ackedAfterRecovery = load.finish(AFTER, KILLS + " kills");
            } finally {
                if (load != null) {
                    load.close();
                }
                GamewireUnderTest.stopProcess(process);
            }
            assertThat(load.refused.get()).as("refused for good").isNull();

            gw.start(); // the count and the KV and cache checks read through gamewire's own beans
            FaultOutcome outcome = FaultOutcome.count(gw, database, load);
            FaultRun.record(gw, new FaultRun.Result("gamewire killed (SIGKILL) " + KILLS + " times",
                    "the gamewire process, restarted after each kill; time down in all", (int) Math.round(downSeconds),
                    RATE, 0, outcome.acked.size(), outcome.storedOfAcked(), outcome.lostAcked(),
                    outcome.storedNeverSent.size(), load.resends.get(), outcome.duplicatesAbsorbed, longestRecovery,
                    heap.peakMb()));
            outcome.assertKept(gw, load, ackedAfterRecovery);
            gw.stopApplication();
        }
    }
}

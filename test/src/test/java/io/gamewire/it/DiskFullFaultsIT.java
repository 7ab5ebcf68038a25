package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's full disk ({@code -Pservices,faults}): the embedded stack, in a process of its
 * own, keeps its data folder (broker store, H2 database, KV file) on a small tmpfs
 * ({@link SmallDisk}), which is filled to the last byte under the steady mixed load of
 * {@link FaultLoad}. Each of its stores closes itself at its next write; gamewire must notice,
 * stop, and exit 74 (its {@code StoreFailureWatch}), and refuse to start again while the disk is
 * full, naming it. Once space is freed it is started again, as a supervisor would, and every
 * acknowledged event must be stored exactly once with its KV record ({@link FaultOutcome}),
 * counted by a last start in the test's JVM. (Its cache is not checked: on the embedded stack it
 * lives in the process, and the counting instance starts with an empty one.)
 *
 * <p>The database URL adds H2's {@code AUTO_SERVER=TRUE}, so that the test can count rows while
 * the process holds the file; it counts only while gamewire runs, which keeps the process the
 * file's owner.
 */
class DiskFullFaultsIT {

    private static final int RATE = Integer.getInteger("gamewire.faults.rate", 1000);
    private static final int OUTAGE_S = Integer.getInteger("gamewire.faults.outage-s", 60);
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration AFTER = Duration.ofSeconds(15);
    /** How long gamewire may take to notice its broken stores and end. */
    private static final Duration TO_EXIT = Duration.ofSeconds(90);

    private final ProcessHeap heap = new ProcessHeap();

    @Test
    void aFullDiskStopsTheEmbeddedStackWhichLosesNoAcknowledgedEventOnceRestarted() throws Exception {
        assertThat(GamewireUnderTest.SERVICES).as("the fault suite runs in -Pservices,faults").isTrue();
        try (SmallDisk disk = SmallDisk.mount(); GamewireUnderTest gw = new GamewireUnderTest(disk.path(), false)) {
            String dbUrl = defaultDbUrl().replace("{{gamewire.data-dir}}", gw.dataDir.toString()) + ";AUTO_SERVER=TRUE";
            gw.overrides.put("gamewire.db.url", dbUrl);
            TestDatabase database = () -> java.sql.DriverManager.getConnection(dbUrl, "sa", "");
            Process process = gw.startProcess(Map.of());
            double exitSeconds;
            long ackedDuringOutage;
            double recoverSeconds;
            Set<UUID> ackedAfterRecovery;
            FaultLoad load = null;
            try {
                await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                load = new FaultLoad(gw, RATE).start();
                FaultLoad running = load;
                await().atMost(WARM_UP.plusSeconds(30)).until(() -> {
                    heap.sample(gw);
                    return FaultOutcome.stored(database) >= RATE;
                });
                await().during(WARM_UP).atMost(WARM_UP.plusSeconds(5)).untilAsserted(load::assertNothingRefused);

                long ackedAtFill = load.acked.size();
                long filledAt = System.nanoTime();
                disk.fill();
                Process stopping = process;
                await().atMost(TO_EXIT).failFast(running::assertNothingRefused).until(() -> !stopping.isAlive());
                exitSeconds = (System.nanoTime() - filledAt) / 1e9;
                assertThat(process.exitValue()).as("the exit status of a gamewire whose stores broke").isEqualTo(74);
                assertThat(processLog(gw)).contains("A store in the data folder broke for good")
                        .contains("The disk of " + gw.dataDir);

                // a supervisor starts it again at once: refused while the disk is full, naming it
                Process refused = gw.startProcess(Map.of());
                try {
                    assertThat(refused.waitFor(90, TimeUnit.SECONDS)).as("a start on the full disk ends").isTrue();
                } finally {
                    refused.destroyForcibly();
                }
                assertThat(refused.exitValue()).as("the exit status of a start on a full disk").isEqualTo(1);
                assertThat(processLog(gw)).containsPattern(java.util.regex.Pattern.quote("gamewire: cannot start: the"
                        + " data folder " + gw.dataDir + " (gamewire.data-dir) has ") + "\\d+ MB free on its disk, less"
                        + " than the 100 MB");

                // the disk stays full for the rest of the outage; clients keep resending
                long left = Math.max(1, OUTAGE_S - Math.round((System.nanoTime() - filledAt) / 1e9));
                await().during(Duration.ofSeconds(left)).atMost(Duration.ofSeconds(left + 10))
                        .untilAsserted(load::assertNothingRefused);
                ackedDuringOutage = load.acked.size() - ackedAtFill;
                long ackedAtRestore = load.acked.size();
                long restoredAt = System.nanoTime();
                disk.free();
                process = gw.startProcess(Map.of());
                await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(gw::healthy);
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    heap.sample(gw);
                    return FaultOutcome.stored(database) >= ackedAtRestore;
                });
                recoverSeconds = (System.nanoTime() - restoredAt) / 1e9;
                ackedAfterRecovery = load.finish(AFTER, "disk full");
            } finally {
                if (load != null) {
                    load.close();
                }
                GamewireUnderTest.stopProcess(process);
            }
            assertThat(load.refused.get()).as("refused for good").isNull();

            gw.start(); // the count and the KV and cache checks read through gamewire's own beans
            FaultOutcome outcome = FaultOutcome.count(gw, TestDatabase.of(gw), load);
            FaultRun.record(gw, new FaultRun.Result("the embedded stack's disk", "full (a "
                    + disk.sizeMb() + " MB tmpfs filled to the last byte); gamewire exited 74 after "
                    + String.format("%.1f", exitSeconds) + " s, refused to start while full, and was started"
                    + " again once space was freed", OUTAGE_S, RATE, ackedDuringOutage / (double) OUTAGE_S,
                    outcome.acked.size(), outcome.storedOfAcked(), outcome.lostAcked(), outcome.storedNeverSent.size(),
                    load.resends.get(), outcome.duplicatesAbsorbed, recoverSeconds, heap.peakMb()));
            // the embedded stack's cache (Caffeine) lived in the processes; the counting instance's is empty
            outcome.assertStoredOnce(gw, load);
            assertThat(ackedAfterRecovery).as("events acknowledged after the restart").isNotEmpty();
            gw.stopApplication();
        }
    }

    /** The embedded stack's database URL, as config/application.properties has it. */
    private static String defaultDbUrl() throws Exception {
        java.util.Properties config = new java.util.Properties();
        try (var in = Files.newInputStream(GamewireUnderTest.REPO_CONFIG.resolve("application.properties"))) {
            config.load(in);
        }
        return config.getProperty("gamewire.db.url");
    }

    private static String processLog(GamewireUnderTest gw) throws Exception {
        return Files.readString(gw.processLog(gw.httpPort), StandardCharsets.UTF_8);
    }
}

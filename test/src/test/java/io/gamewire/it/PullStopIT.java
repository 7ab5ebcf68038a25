package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stop ends in bounded time while a pull job is running: when Quartz's JDBC job store has lost
 * its database (Quartz retried recording the job's completion until its store shut down, which a
 * scheduler shut down waiting for its jobs never got to: the stop hung for good, seen in CI on
 * 2026-12-07), and when the run outlasts the routes' graceful stop. gamewire runs in a process of
 * its own here, so that a stop that hangs fails the test instead of hanging it. On both stacks, the
 * store set to jdbc: MariaDB, or the embedded stack's H2 served over TCP ({@link ProxiedDatabase}).
 */
class PullStopIT {

    /** How long the publisher takes to answer: the database is cut while a pull waits for it. */
    private static final Duration ANSWER_DELAY = Duration.ofSeconds(4);
    /** A stop's bound: camel.main.shutdown-timeout (30 s) and the stores' closing, with room. */
    private static final long STOP_LIMIT_S = 75;

    @Test
    void aStopEndsWhenTheJobStoresDatabaseIsGoneAsAPullCompletes() throws Exception {
        PublisherApi publisher = new PublisherApi(request -> "[]", ANSWER_DELAY);
        try (GamewireUnderTest gw = new GamewireUnderTest(); ProxiedDatabase database = new ProxiedDatabase(gw)) {
            gw.overrides.put("gamewire.pulls.job-store", "jdbc"); // the embedded default is ram; prod's is jdbc
            gw.writeTitle(gw.titleYamlWithPull("pulls-every-second", publisher.url()));
            GamewireUnderTest.Peer instance = gw.newPeer();
            Process process = gw.startPeer(instance);
            try {
                awaitPulling(gw, instance, publisher);
                java.util.List<java.time.Instant> asked = publisher.arrivals();
                java.time.Instant lastAsked = asked.get(asked.size() - 1);
                database.cut();
                // the pulls that were waiting get their answers and end; Quartz then fails to record
                // their completion and retries
                java.time.Instant answered = lastAsked.plus(ANSWER_DELAY).plusSeconds(2);
                await().atMost(ANSWER_DELAY.multipliedBy(3)).until(() -> java.time.Instant.now().isAfter(answered));

                assertThat(process.isAlive()).as("running until the stop").isTrue();
                stopWithin(STOP_LIMIT_S, process, gw, instance);
            } finally {
                process.destroyForcibly().waitFor();
            }
        } finally {
            publisher.close();
        }
    }

    /**
     * A scheduled run still waiting for its publisher a moment before camel.main.shutdown-timeout
     * forces the routes is interrupted by the pull engine ("interrupted"), so Quartz's shutdown,
     * which waits for its jobs, is not held until the publisher answers; the job's completion is then
     * recorded in the store as in any stop, and the log shows no error. Without the interrupt the
     * stop ended only when the answer came (40 s).
     */
    @Test
    void aRunThatOutlastsTheGracefulStopIsEndedAndTheStopIsClean() throws Exception {
        PublisherApi publisher = new PublisherApi(request -> "[]", Duration.ofSeconds(40), true);
        try (GamewireUnderTest gw = new GamewireUnderTest(); ProxiedDatabase database = new ProxiedDatabase(gw)) {
            gw.overrides.put("gamewire.pulls.job-store", "jdbc");
            // the runs are interrupted 1 s before the force (a tenth of the timeout, at most 1 s):
            // time for the run to end and Camel (which looks once a second) to see its exchange done
            gw.overrides.put("camel.main.shutdown-timeout", "10");
            // the usage sampler is a job of the same scheduler: its first sample, which makes its
            // archives, could outlast the graceful stop, and would be the forced stop's error
            gw.overrides.put("gamewire.capacity.enabled", "false");
            gw.writeTitle(gw.titleYamlWithPull("pulls-slow-publisher", publisher.url()));
            GamewireUnderTest.Peer instance = gw.newPeer();
            Process process = gw.startPeer(instance);
            try {
                awaitPulling(gw, instance, publisher);

                stopWithin(20, process, gw, instance);
            } finally {
                process.destroyForcibly().waitFor();
            }
            List<String> log = Files.readAllLines(gw.processLog(instance.httpPort()));
            assertThat(log).as("the log of the stop")
                    .anyMatch(line -> line.contains("/scores failed") && line.contains("page 1: interrupted while fetching"))
                    .noneMatch(line -> line.startsWith("\tat "))
                    .noneMatch(line -> line.contains(" ERROR "));
        } finally {
            publisher.close();
        }
    }

    /** Waits until the peer is healthy and its pull has asked the publisher once. */
    private static void awaitPulling(GamewireUnderTest gw, GamewireUnderTest.Peer instance, PublisherApi publisher) {
        await().atMost(GamewireUnderTest.PROCESS_START_LIMIT).until(() -> gw.healthy(instance.httpPort()));
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.requestCount() > 0);
    }

    /** SIGTERM: the process must end within {@code limitS} seconds, with exit status 0. */
    private static void stopWithin(long limitS, Process process, GamewireUnderTest gw, GamewireUnderTest.Peer instance)
            throws Exception {
        process.destroy();
        assertThat(process.waitFor(limitS, TimeUnit.SECONDS)).as("gamewire ended within %d s of SIGTERM (log: %s)",
                limitS, gw.processLog(instance.httpPort())).isTrue();
        assertThat(process.exitValue()).as("exit status").isZero();
    }
}

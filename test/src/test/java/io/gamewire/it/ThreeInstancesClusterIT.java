package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The proof of issue 20 under faults ({@code -Pcluster}): three gamewire instances of one run (one
 * title, exchange and database; instance A in the test's JVM, B and C in processes of their own,
 * {@link GamewireUnderTest#startPeer}) in front of the local 3-node RabbitMQ cluster
 * ({@link RabbitCluster}), on the prod profile with quorum queues and the machine's MariaDB, Redis
 * and memcached. Under a steady mixed load through all three ({@link FaultLoad} as clients behind a
 * load balancer: what one instance leaves unanswered is sent again through another, same message
 * id), with a pull scheduled every second on all three:
 * <ol>
 *   <li>the RabbitMQ node leading the busiest quorum queue (the load's service queue) is killed with kill -9;</li>
 *   <li>with the node still down, gamewire instance B is killed with kill -9;</li>
 *   <li>the node is started again, then B.</li>
 * </ol>
 * Then every acknowledged event is stored exactly once ({@link FaultOutcome}), the pull was fired
 * once per schedule across the instances (the publisher API never had more requests than seconds
 * had passed, give or take), and, after the load, a key's rate limit holds across the instances:
 * sent through all three at four times its rate, the key is admitted at about its rate, not three
 * times it.
 */
class ThreeInstancesClusterIT {

    /** Events per second offered in all, spread over the three instances. */
    private static final int RATE = Integer.getInteger("gamewire.cluster.rate", 240);
    /** How long the node is down before the instance is killed, and the instance down before both come back. */
    private static final Duration DOWN = Duration.ofSeconds(Integer.getInteger("gamewire.cluster.down-s", 20));
    private static final Duration AFTER = Duration.ofSeconds(10);
    /** The limited key's rate (the title's {@code slow} key, set to this for the run). */
    private static final int LIMIT = 40;
    private static final int LIMIT_OFFERED = 4 * LIMIT;
    private static final Duration LIMIT_FOR = Duration.ofSeconds(10);
    /**
     * Whether the rate-limit phase asserts that the limit is shared ({@code -Dgamewire.cluster.shared-limits=false}:
     * it only measures, for a build whose limits are still per instance).
     */
    private static final boolean SHARED_LIMITS = Boolean.parseBoolean(
            System.getProperty("gamewire.cluster.shared-limits", "true"));
    private static final int INSTANCES = 3;
    /** A gamewire process's start: 2-3 minutes when the machine's 2 cores are shared with other builds. */
    private static final Duration PEER_START = Duration.ofMinutes(4);

    @Test
    void aNodeAndAnInstanceKilledUnderLoadLoseNothingFirePullsOnceAndKeepTheKeysLimit() throws Exception {
        PublisherApi publisher = PublisherApi.serving("[]");
        // B and C: stopped before the run's database and the cluster go (or by a hook if the run is cut short)
        List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RabbitCluster cluster = RabbitCluster.up();
             GamewireUnderTest gw = new GamewireUnderTest(Path.of(System.getProperty("java.io.tmpdir")), true);
             StopAtExit peersStopping = new StopAtExit("gamewire-peers-stop", () -> stopAll(processes))) {
            gw.overrides.put("gamewire.broker.addresses", RabbitCluster.addresses().stream()
                    .map(a -> a.getHost() + ":" + a.getPort()).collect(Collectors.joining(",")));
            // the slow key at a rate the rate-limit phase can measure
            gw.writeTitle(gw.titleYamlWithPull("pulls-every-second", publisher.url())
                    .replace("rate-limit: 2", "rate-limit: " + LIMIT));
            // A first: it makes the database's tables (Flyway, Quartz's), which B and C then find
            gw.start();
            GamewireUnderTest.Peer b = gw.newPeer();
            GamewireUnderTest.Peer c = gw.newPeer();
            Supervisor peers = new Supervisor(gw, List.of(b, c), processes);
            peers.startAll(() -> { });
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE")
                    == INSTANCES);
            TestDatabase database = TestDatabase.direct(gw);
            String busiest = gw.services.get(1); // every event of the load goes there; the others get only the pull's empty pages

            List<FaultLoad.Instance> instances = List.of(FaultLoad.Instance.of(gw),
                    new FaultLoad.Instance(b.httpPort(), b.tcpPort()), new FaultLoad.Instance(c.httpPort(), c.tcpPort()));
            FaultRun.resetPeakHeap();
            FaultLoad load = new FaultLoad(gw, RATE, instances).start();
            Instant pullsFrom = Instant.now();
            Instant pullsTo;
            Figures figures = new Figures();
            Set<UUID> ackedAfter;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> FaultOutcome.stored(database) >= RATE);
                assertThat(load.ackedVia).as("acknowledged through each instance before the faults")
                        .allSatisfy(count -> assertThat(count.get()).isPositive());

                // 1. the node leading the busiest quorum queue
                // one rabbitmqctl call (each starts an Erlang VM: slow on busy cores) for the leader and the members
                RabbitCluster.QuorumQueue before = cluster.quorumQueue(1, busiest);
                assertThat(before.members()).as("the busiest queue's members").isEqualTo(RabbitCluster.nodeNames());
                int node = RabbitCluster.nodeNumber(before.leader());
                long ackedAtNodeKill = load.acked.size();
                long brokenFrom = System.nanoTime();
                cluster.kill9(node);
                figures.nodeRecover = secondsUntil(brokenFrom, load, () -> load.acked.size() >= ackedAtNodeKill + RATE);
                int survivor = 1 + node % 3;
                String newLeader = cluster.quorumQueue(survivor, busiest).leader();
                assertThat(newLeader).as("the busiest queue's leader with node %d down", node)
                        .isNotEqualTo(RabbitCluster.nodeName(node));
                holdUntil(brokenFrom, DOWN, load);

                // 2. instance B, with the node still down
                long ackedAtInstanceKill = load.acked.size();
                long ackedViaBAtKill = load.ackedVia.get(1).get();
                long instanceKilledAt = System.nanoTime();
                Process processB = processes.get(0);
                processB.destroyForcibly(); // SIGKILL: no drain, no flush, no shutdown hook
                processB.waitFor();
                figures.instanceRecover = secondsUntil(instanceKilledAt, load,
                        () -> load.acked.size() >= ackedAtInstanceKill + RATE);
                holdUntil(instanceKilledAt, DOWN, load);

                // 3. both back: the node, then the instance
                long nodeStartAt = System.nanoTime();
                cluster.start(node);
                await().atMost(Duration.ofMinutes(3)).until(() ->
                        cluster.quorumQueue(survivor, busiest).online().size() == RabbitCluster.NODES.size());
                figures.nodeBack = (System.nanoTime() - nodeStartAt) / 1e9;
                long instanceStartAt = System.nanoTime();
                peers.start(0, load::assertNothingRefused);
                long ackedViaBAtStart = load.ackedVia.get(1).get();
                await().atMost(Duration.ofSeconds(60)).failFast(load::assertNothingRefused)
                        .until(() -> load.ackedVia.get(1).get() >= ackedViaBAtStart + RATE / INSTANCES);
                figures.instanceBack = (System.nanoTime() - instanceStartAt) / 1e9;
                figures.brokenSeconds = (System.nanoTime() - brokenFrom) / 1e9;
                figures.ackedWhileBroken = load.acked.size() - ackedAtNodeKill;
                System.out.println("cluster faults: node " + node + " killed (leader of " + busiest + ", then "
                        + newLeader + "); acknowledged through B before its kill " + ackedViaBAtKill);
                ackedAfter = load.finish(AFTER, "cluster node " + node + " and instance B killed");
                pullsTo = Instant.now();
            } finally {
                load.close();
            }
            assertThat(load.refused.get()).as("refused for good").isNull();
            assertThat(ackedAfter).as("acknowledged after both came back").isNotEmpty();

            FaultOutcome outcome = FaultOutcome.count(gw, database, load);
            Pulls pulls = Pulls.between(publisher.arrivals(), pullsFrom, pullsTo);
            RateLimit limit = RateLimit.measure(gw, instances);
            System.out.printf("cluster faults: acked %d (through A, B, C: %s), stored of them %d, lost %d, stored never"
                            + " sent %d, client resends %d by cause %s, duplicates absorbed %d;"
                            + " node kill recovered in %.1f s, instance kill in %.1f s, node back in %.1f s,"
                            + " instance back (healthy and acknowledging) in %.1f s; acknowledged while broken %.0f/s;"
                            + " %s; %s%n", outcome.acked.size(), load.ackedVia, outcome.storedOfAcked(),
                    outcome.lostAcked(), outcome.storedNeverSent.size(), load.resends.get(), load.resendCauses,
                    outcome.duplicatesAbsorbed, figures.nodeRecover, figures.instanceRecover, figures.nodeBack,
                    figures.instanceBack, figures.ackedWhileBroken / figures.brokenSeconds, pulls, limit);
            FaultRun.record(gw, new FaultRun.Result("RabbitMQ node and gamewire instance killed (SIGKILL), 3 instances"
                    + " on a 3-node cluster", "the leader of the busiest quorum queue, then one of three instances;"
                    + " both down", (int) Math.round(figures.brokenSeconds), RATE,
                    figures.ackedWhileBroken / figures.brokenSeconds, outcome.acked.size(), outcome.storedOfAcked(),
                    outcome.lostAcked(), outcome.storedNeverSent.size(), load.resends.get(), outcome.duplicatesAbsorbed,
                    Math.max(figures.nodeRecover, figures.instanceRecover), FaultRun.peakHeapMb()));

            outcome.assertStoredOnce(gw, load);
            pulls.assertOncePerSchedule();
            limit.assertHolds();
            gw.stopApplication();
        } finally {
            publisher.close();
        }
    }

    /**
     * Starts the peers' processes and waits until each is healthy, starting again one that ended
     * (as a supervisor such as systemd would: on these busy cores a start may fail, e.g. MariaDB not
     * answering within its connect timeout), at most {@link #RESTARTS} times.
     */
    private record Supervisor(GamewireUnderTest gw, List<GamewireUnderTest.Peer> peers, List<Process> processes) {

        private static final int RESTARTS = 2;

        /** Starts every peer (the processes list holds them in order afterwards) and waits until all are healthy. */
        void startAll(Runnable check) throws Exception {
            for (GamewireUnderTest.Peer peer : peers) {
                processes.add(gw.startPeer(peer));
            }
            awaitHealthy(java.util.stream.IntStream.range(0, peers.size()).boxed().toList(), check);
        }

        /** Starts peer {@code index} again (its process ended or was killed) and waits until it is healthy. */
        void start(int index, Runnable check) throws Exception {
            processes.set(index, gw.startPeer(peers.get(index)));
            awaitHealthy(List.of(index), check);
        }

        private void awaitHealthy(List<Integer> indexes, Runnable check) {
            int[] restarts = new int[peers.size()];
            await().atMost(PEER_START).until(() -> {
                check.run();
                boolean healthy = true;
                for (int index : indexes) {
                    GamewireUnderTest.Peer peer = peers.get(index);
                    if (!processes.get(index).isAlive()) {
                        assertThat(restarts[index]++).as("restarts of the peer on port %d, whose start failed (its log:"
                                + " %s)", peer.httpPort(), gw.processLog(peer.httpPort())).isLessThan(RESTARTS);
                        System.out.println("cluster faults: the peer on port " + peer.httpPort() + " ended (exit "
                                + processes.get(index).exitValue() + ") before it was healthy: starting it again");
                        processes.set(index, gw.startPeer(peer));
                    }
                    healthy &= gw.healthy(peer.httpPort());
                }
                return healthy;
            });
        }
    }

    private static void stopAll(List<Process> processes) {
        try {
            for (Process process : processes) {
                GamewireUnderTest.stopProcess(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The times each phase took, seconds. */
    private static final class Figures {
        double nodeRecover;
        double instanceRecover;
        double nodeBack;
        double instanceBack;
        double brokenSeconds;
        long ackedWhileBroken;
    }

    /** Seconds from {@code since} (System.nanoTime) until {@code done}, with nothing refused meanwhile. */
    private static double secondsUntil(long since, FaultLoad load, BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(90)).failFast(load::assertNothingRefused).until(done::getAsBoolean);
        return (System.nanoTime() - since) / 1e9;
    }

    /** Lets the load go on, nothing refused, until {@code length} has passed since {@code since}. */
    private static void holdUntil(long since, Duration length, FaultLoad load) {
        long left = since + length.toNanos() - System.nanoTime();
        if (left > 0) {
            Duration rest = Duration.ofNanos(left);
            await().during(rest).atMost(rest.plusSeconds(10)).untilAsserted(load::assertNothingRefused);
        }
    }

    /**
     * The publisher API's requests while the load ran: the pull is scheduled every second on all
     * three instances, and Quartz's clustered job store fires each schedule on one of them. So at
     * any request, the requests so far are never more than the seconds passed (a fire held up by a
     * killed instance may be made up later, but never twice), give or take {@link #SLACK}; if each
     * instance fired, they would be about three times the seconds.
     */
    record Pulls(List<Instant> requests, Instant from, Instant to) {

        private static final int SLACK = 3;

        static Pulls between(List<Instant> arrivals, Instant from, Instant to) {
            return new Pulls(arrivals.stream().filter(at -> !at.isBefore(from) && !at.isAfter(to)).toList(), from, to);
        }

        double seconds() {
            return Duration.between(from, to).toMillis() / 1000.0;
        }

        /** The most requests in any one second of the run (by the second they came in). */
        long busiestSecond() {
            return requests.stream().collect(Collectors.groupingBy(at -> Duration.between(from, at).toSeconds(),
                    Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        void assertOncePerSchedule() {
            for (int k = 0; k < requests.size(); k++) {
                double passed = Duration.between(from, requests.get(k)).toMillis() / 1000.0;
                assertThat(k + 1.0).as("publisher requests by %s, %.1f s into the run (pull every second)",
                        requests.get(k), passed).isLessThanOrEqualTo(Math.floor(passed) + 1 + SLACK);
            }
            assertThat((double) requests.size()).as("publisher requests in %.0f s: the pull goes on through the faults",
                    seconds()).isGreaterThanOrEqualTo(seconds() / 2);
        }

        @Override
        public String toString() {
            return String.format("pull fires %d in %.0f s (the most in one second: %d)", requests.size(), seconds(),
                    busiestSecond());
        }
    }

    /**
     * A key's rate limit across the instances: the title's {@code slow} key (at {@link #LIMIT} a
     * second for this run) sends {@code marker} events over HTTP through the three instances in turn
     * at {@link #LIMIT_OFFERED} a second for {@link #LIMIT_FOR}; what is admitted (202) against
     * what is refused (429). A key's bucket holds a second's worth, so a shared limit admits at most
     * {@code LIMIT × (seconds + 1)}; one bucket per instance would admit about three times that.
     */
    record RateLimit(long admitted, long limited, long other, double seconds, String firstOther) {

        private static final int TICKS = 20;

        static RateLimit measure(GamewireUnderTest gw, List<FaultLoad.Instance> instances) throws Exception {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            AtomicLong admitted = new AtomicLong();
            AtomicLong limited = new AtomicLong();
            AtomicLong other = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<String> firstOther = new java.util.concurrent.atomic.AtomicReference<>();
            List<CompletableFuture<?>> answers = new ArrayList<>();
            String path = "/v1/events/" + gw.services.get(1) + ".marker";
            long tick = TimeUnit.SECONDS.toNanos(1) / TICKS;
            long started = System.nanoTime();
            long next = started;
            int sent = 0;
            for (int t = 0; t < LIMIT_FOR.toSeconds() * TICKS; t++) {
                for (int i = 0; i < LIMIT_OFFERED / TICKS; i++, sent++) {
                    FaultLoad.Instance to = instances.get(sent % instances.size());
                    answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.httpPort()
                                    + path)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + gw.slowKey)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
                                if (failure == null && answer.statusCode() == 202) {
                                    admitted.incrementAndGet();
                                } else if (failure == null && answer.statusCode() == 429) {
                                    limited.incrementAndGet();
                                } else {
                                    other.incrementAndGet();
                                    firstOther.compareAndSet(null, failure != null ? failure.toString()
                                            : answer.statusCode() + " " + answer.body());
                                }
                            }));
                }
                next += tick;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing the sender, not a test wait
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(60, TimeUnit.SECONDS);
            return new RateLimit(admitted.get(), limited.get(), other.get(), seconds, firstOther.get());
        }

        double admittedPerSecond() {
            return admitted / seconds;
        }

        void assertHolds() {
            assertThat(other).as("answers other than 202 and 429 to the limited key: first %s", firstOther).isZero();
            // about the key's rate, whatever the instances: a second's burst on top of the seconds
            assertThat(admittedPerSecond()).as("the limited key's events admitted per second, at least")
                    .isGreaterThanOrEqualTo(LIMIT * 0.6);
            if (SHARED_LIMITS) {
                assertThat((double) admitted).as("the limited key's events admitted in %.1f s through %d instances"
                                + " (%d a second): its rate across them, not per instance", seconds, INSTANCES, LIMIT)
                        .isLessThanOrEqualTo(LIMIT * (seconds + 1) * 1.15);
            }
        }

        @Override
        public String toString() {
            return String.format("rate limit %d/s offered %d/s through %d instances for %.1f s: admitted %d (%.1f/s),"
                    + " limited (429) %d, other %d", LIMIT, LIMIT_OFFERED, INSTANCES, seconds, admitted,
                    admittedPerSecond(), limited, other);
        }
    }
}

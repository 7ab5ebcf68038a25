package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault suite's service faults ({@code -Pservices,faults}): under a steady mixed load (TCP and
 * HTTP, {@code gamewire.faults.rate} events/s, 1,000 by default), one service gamewire needs is
 * broken for {@code gamewire.faults.outage-s} (60 s), then mended: MariaDB, Redis or memcached cut
 * through a TCP proxy, RabbitMQ stopped ({@code rabbitmqctl stop_app}, then {@code start_app}), the
 * links to RabbitMQ and MariaDB made slow and unreliable. Then every acknowledged event must
 * be stored exactly once with its KV record ({@link FaultOutcome}). Each scenario writes its
 * figures ({@link FaultRun}) for docs/RELIABILITY.md. The embedded stack's full disk is
 * {@link DiskFullFaultsIT}'s, as it stops the process.
 */
class ServiceFaultsIT {

    private static final int RATE = Integer.getInteger("gamewire.faults.rate", 1000);
    private static final int OUTAGE_S = Integer.getInteger("gamewire.faults.outage-s", 60);
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration AFTER = Duration.ofSeconds(15);
    /** The degraded links: this delay on every write each way, and every connection reset this often. */
    private static final Duration LINK_DELAY = Duration.ofMillis(20);
    private static final Duration LINK_RESETS = Duration.ofSeconds(10);

    /** What is broken, and how. */
    enum Fault {
        DATABASE("MariaDB", "unreachable (TCP proxy cut)"),
        REDIS("Redis (KV store)", "unreachable (TCP proxy cut)"),
        MEMCACHED("memcached (cache)", "unreachable (TCP proxy cut)"),
        BROKER("RabbitMQ", "stopped (rabbitmqctl stop_app, then start_app)"),
        LINKS("RabbitMQ and MariaDB links", "+" + LINK_DELAY.toMillis() + " ms on every write each way, every"
                + " connection reset each " + LINK_RESETS.toSeconds() + " s");

        final String what;
        final String how;

        Fault(String what, String how) {
            this.what = what;
            this.how = how;
        }

        /** Points gamewire at what will be broken (before it starts), and returns how to break and mend it. */
        Breakage prepare(GamewireUnderTest gw, ProxiedDatabase database) throws Exception {
            return switch (this) {
                case DATABASE -> cutting(database.proxy);
                case REDIS -> {
                    TcpProxy proxy = new TcpProxy(RealServices.REDIS_HOST, RealServices.REDIS_PORT);
                    gw.overrides.put("gamewire.kv.redis.host", "127.0.0.1");
                    gw.overrides.put("gamewire.kv.redis.port", Integer.toString(proxy.port()));
                    yield cutting(proxy);
                }
                case MEMCACHED -> {
                    String[] server = RealServices.MEMCACHED_SERVERS.split("[ ,]")[0].split(":");
                    TcpProxy proxy = new TcpProxy(server[0], Integer.parseInt(server[1]));
                    gw.overrides.put("gamewire.cache.memcached.servers", "127.0.0.1:" + proxy.port());
                    yield cutting(proxy);
                }
                case BROKER -> new RabbitApp();
                case LINKS -> {
                    TcpProxy broker = brokerProxy(gw);
                    yield new Breakage() {
                        @Override
                        public void breakIt() {
                            broker.degrade(LINK_DELAY, LINK_RESETS);
                            database.proxy.degrade(LINK_DELAY, LINK_RESETS);
                        }

                        @Override
                        public void mend() {
                            broker.heal();
                            database.proxy.heal();
                        }

                        @Override
                        public void close() {
                            broker.close();
                            database.proxy.heal();
                        }
                    };
                }
            };
        }

        private static TcpProxy brokerProxy(GamewireUnderTest gw) throws Exception {
            TcpProxy proxy = new TcpProxy(RealServices.RABBIT_HOST, RealServices.RABBIT_PORT);
            gw.overrides.put("gamewire.broker.host", "127.0.0.1");
            gw.overrides.put("gamewire.broker.port", Integer.toString(proxy.port()));
            return proxy;
        }

        private static Breakage cutting(TcpProxy proxy) {
            return new Breakage() {
                @Override
                public void breakIt() {
                    proxy.cut();
                }

                @Override
                public void mend() throws Exception {
                    proxy.restore();
                }

                @Override
                public void close() {
                    proxy.close();
                }
            };
        }
    }

    /** The scenarios to run: those {@code -Dgamewire.faults.only=BROKER,LINKS} names, or all. */
    static java.util.stream.Stream<Fault> faults() {
        String only = System.getProperty("gamewire.faults.only", "");
        return only.isBlank() ? defaultFaults()
                : java.util.Arrays.stream(only.split(",")).map(String::strip).map(Fault::valueOf);
    }

    static java.util.stream.Stream<Fault> defaultFaults() {
        return java.util.Arrays.stream(Fault.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aServiceBrokenUnderMixedLoadLosesNoAcknowledgedEventAndStoresEachOnce(Fault fault) throws Exception {
        assertThat(GamewireUnderTest.SERVICES).as("the fault suite runs on the real services: -Pservices,faults").isTrue();
        try (GamewireUnderTest gw = new GamewireUnderTest(); ProxiedDatabase database = new ProxiedDatabase(gw);
             Breakage breakage = fault.prepare(gw, database)) {
            gw.start();
            FaultRun.resetPeakHeap();
            long ackedDuringOutage;
            double recoverSeconds;
            Set<UUID> ackedAfterRecovery;
            FaultLoad load = new FaultLoad(gw, RATE).start();
            try {
                await().atMost(WARM_UP.plusSeconds(30)).until(() -> FaultOutcome.stored(database) >= RATE);
                await().during(WARM_UP).atMost(WARM_UP.plusSeconds(5)).untilAsserted(load::assertNothingRefused);

                long ackedAtCut = load.acked.size();
                breakage.breakIt();
                // the load goes on for the whole outage, and nothing is refused for good
                await().during(Duration.ofSeconds(OUTAGE_S)).atMost(Duration.ofSeconds(OUTAGE_S + 10))
                        .untilAsserted(load::assertNothingRefused);
                ackedDuringOutage = load.acked.size() - ackedAtCut;
                long ackedAtRestore = load.acked.size();
                long restoredAt = System.nanoTime(); // the repair's own time (start_app) counts
                breakage.mend();
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250))
                        .until(() -> FaultOutcome.stored(database) >= ackedAtRestore);
                recoverSeconds = (System.nanoTime() - restoredAt) / 1e9;
                ackedAfterRecovery = load.finish(AFTER, fault.toString());
            } finally {
                load.close();
            }
            assertThat(load.refused.get()).as("refused for good").isNull();

            FaultOutcome outcome = FaultOutcome.count(gw, database, load);
            FaultRun.record(gw, new FaultRun.Result(fault.what, fault.how, OUTAGE_S, RATE,
                    ackedDuringOutage / (double) OUTAGE_S, outcome.acked.size(), outcome.storedOfAcked(),
                    outcome.lostAcked(), outcome.storedNeverSent.size(), load.resends.get(),
                    outcome.duplicatesAbsorbed, recoverSeconds, FaultRun.peakHeapMb()));
            outcome.assertKept(gw, load, ackedAfterRecovery);
            gw.stopApplication();
        }
    }
}

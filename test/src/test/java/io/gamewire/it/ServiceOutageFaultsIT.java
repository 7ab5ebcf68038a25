package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.testsupport.RealServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault suite's outages ({@code -Pservices,faults}): under a steady mixed load (TCP and HTTP,
 * {@code gamewire.faults.rate} events/s, 1,000 by default), the database, Redis or memcached is cut
 * for {@code gamewire.faults.outage-s} (60 s) through a TCP proxy, then restored. Every event that
 * was acknowledged must then be stored exactly once, in {@code events} and its table, and nothing
 * that was never sent may be. Each scenario writes its figures ({@link FaultRun}) for
 * docs/RELIABILITY.md.
 */
class ServiceOutageFaultsIT {

    private static final int RATE = Integer.getInteger("gamewire.faults.rate", 1000);
    private static final int OUTAGE_S = Integer.getInteger("gamewire.faults.outage-s", 60);
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration AFTER = Duration.ofSeconds(15);

    /** What is cut, and how gamewire is pointed at it through a proxy. */
    enum Backend {
        DATABASE("MariaDB"), REDIS("Redis (KV store)"), MEMCACHED("memcached (cache)");

        final String what;

        Backend(String what) {
            this.what = what;
        }

        TcpProxy proxy(GamewireUnderTest gw) throws Exception {
            return switch (this) {
                case DATABASE -> {
                    TcpProxy proxy = new TcpProxy(RealServices.MYSQL_HOST, RealServices.MYSQL_PORT);
                    gw.overrides.put("gamewire.db.url", RealServices.mysqlUrl("127.0.0.1", proxy.port(), gw.database()));
                    gw.overrides.put("gamewire.db.timeout-ms", "1000");
                    yield proxy;
                }
                case REDIS -> {
                    TcpProxy proxy = new TcpProxy(RealServices.REDIS_HOST, RealServices.REDIS_PORT);
                    gw.overrides.put("gamewire.kv.redis.host", "127.0.0.1");
                    gw.overrides.put("gamewire.kv.redis.port", Integer.toString(proxy.port()));
                    yield proxy;
                }
                case MEMCACHED -> {
                    String[] server = RealServices.MEMCACHED_SERVERS.split("[ ,]")[0].split(":");
                    TcpProxy proxy = new TcpProxy(server[0], Integer.parseInt(server[1]));
                    gw.overrides.put("gamewire.cache.memcached.servers", "127.0.0.1:" + proxy.port());
                    yield proxy;
                }
            };
        }
    }

    @ParameterizedTest(name = "{0} gone")
    @EnumSource(Backend.class)
    void aBackendGoneUnderMixedLoadLosesNoAcknowledgedEventAndStoresEachOnce(Backend backend) throws Exception {
        assertThat(GamewireUnderTest.SERVICES).as("the fault suite runs on the real services: -Pservices,faults").isTrue();
        try (GamewireUnderTest gw = new GamewireUnderTest(); TcpProxy proxy = backend.proxy(gw)) {
            gw.start();
            FaultRun.resetPeakHeap();
            long ackedDuringOutage;
            double recoverSeconds;
            FaultLoad load = new FaultLoad(gw, RATE).start();
            try {
                await().atMost(WARM_UP.plusSeconds(30)).until(() -> stored(gw) >= RATE);
                await().during(WARM_UP).atMost(WARM_UP.plusSeconds(5)).until(() -> load.refused.get() == null);

                long ackedAtCut = load.acked.size();
                proxy.cut();
                // the load goes on for the whole outage, and nothing is refused for good
                await().during(Duration.ofSeconds(OUTAGE_S)).atMost(Duration.ofSeconds(OUTAGE_S + 10))
                        .until(() -> load.refused.get() == null);
                ackedDuringOutage = load.acked.size() - ackedAtCut;
                long ackedAtRestore = load.acked.size();
                proxy.restore();
                long restoredAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250))
                        .until(() -> stored(gw) >= ackedAtRestore);
                recoverSeconds = (System.nanoTime() - restoredAt) / 1e9;
                await().during(AFTER).atMost(AFTER.plusSeconds(5)).until(() -> load.refused.get() == null);
                load.stopSending();
                System.out.println("fault load, " + backend + " gone: resends by cause " + load.resendCauses
                        + "; sends the client refused " + load.sendFailures + " (" + load.lastSendFailure + ")");
                await().atMost(Duration.ofSeconds(120)).failFast("refused for good", () -> load.refused.get() != null)
                        .until(() -> load.unanswered() == 0);
            } finally {
                load.close();
            }
            assertThat(load.refused.get()).as("refused for good").isNull();

            Set<UUID> acked = Set.copyOf(load.acked);
            // counting is cheap, reading every id is not: the ids once the count says they can all be there
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stored(gw) >= acked.size());
            Set<UUID> stored = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> storedIds(gw), ids -> ids.containsAll(acked));
            long[] rows = counts(gw, "SELECT COUNT(*), COUNT(DISTINCT gw_message_id) FROM " + gw.title + "_scores");
            long duplicates = counts(gw, "SELECT COALESCE(SUM(resends), 0) FROM events")[0];
            Set<UUID> neverSent = new HashSet<>(stored);
            neverSent.removeAll(load.sent);

            FaultRun.record(new FaultRun.Result("outage: " + backend.what, backend.what + " unreachable (TCP proxy cut)",
                    OUTAGE_S, RATE, ackedDuringOutage / (double) OUTAGE_S, acked.size(),
                    acked.stream().filter(stored::contains).count(),
                    acked.stream().filter(id -> !stored.contains(id)).count(), neverSent.size(), load.resends.get(),
                    duplicates, recoverSeconds, FaultRun.peakHeapMb()));
            assertThat(neverSent).as("stored, never sent").isEmpty();
            assertThat(stored).as("every acknowledged event stored").containsAll(acked);
            assertThat(rows[0]).as("one table row per stored event").isEqualTo(stored.size());
            assertThat(rows[1]).as("no event twice in its table").isEqualTo(rows[0]);
            gw.stopApplication();
        }
    }

    private static long stored(GamewireUnderTest gw) throws Exception {
        return counts(gw, "SELECT COUNT(*) FROM events")[0];
    }

    private static Set<UUID> storedIds(GamewireUnderTest gw) throws Exception {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = connect(gw); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT message_id FROM events")) {
            while (row.next()) {
                ids.add(UUID.fromString(row.getString(1)));
            }
        }
        return ids;
    }

    /** The numbers of the query's one row, read past any proxy. */
    private static long[] counts(GamewireUnderTest gw, String sql) throws Exception {
        try (Connection connection = connect(gw); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            long[] values = new long[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getLong(i + 1);
            }
            return values;
        }
    }

    private static Connection connect(GamewireUnderTest gw) throws Exception {
        return DriverManager.getConnection(RealServices.mysqlUrl(gw.database()), RealServices.MYSQL_USER,
                RealServices.MYSQL_PASSWORD);
    }
}

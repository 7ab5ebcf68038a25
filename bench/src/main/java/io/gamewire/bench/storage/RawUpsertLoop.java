package io.gamewire.bench.storage;

import io.gamewire.sinks.sql.RowUpserter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The storage benchmark's baseline: the rows gamewire's consumers write for the bench title's
 * {@code match_end} (key match_id, map, duration_s, message id, event time), upserted with the
 * very statement gamewire uses, in JDBC batches of {@code --batch}, one commit per batch, from
 * {@code --threads} connections, with nothing else around it: no broker, no decoding, no events
 * row, no KV or cache. Prints {@code RESULT rows=N seconds=S rows_per_s=R}.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gamewire.bench.storage.RawUpsertLoop
 *     --jdbc-url URL [--user U] [--password P] [--rows 200000] [--batch 100] [--threads 2]</pre>
 */
public final class RawUpsertLoop {

    private static final RowUpserter.Table TABLE = new RowUpserter.Table("bench_raw_matches", List.of("match_id"),
            List.of("map", "duration_s"));

    private RawUpsertLoop() {
    }

    public static void main(String[] args) throws Exception {
        String url = option(args, "--jdbc-url", null);
        if (url == null) {
            System.err.println("usage: RawUpsertLoop --jdbc-url URL [--user U] [--password P] [--rows N] [--batch N]"
                    + " [--threads N]");
            System.exit(2);
        }
        String user = option(args, "--user", "root");
        String password = option(args, "--password", "");
        int rows = Integer.parseInt(option(args, "--rows", "200000"));
        int batch = Integer.parseInt(option(args, "--batch", "100"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS " + TABLE.name());
            ddl.execute("CREATE TABLE " + TABLE.name() + " (match_id VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " map VARCHAR(64), duration_s INT, gw_message_id VARCHAR(36) NOT NULL,"
                    + " gw_event_time BIGINT NOT NULL)");
        }
        String sql = RowUpserter.statement(TABLE);
        long started = System.nanoTime();
        Thread[] workers = new Thread[threads];
        SQLException[] failure = new SQLException[1];
        for (int t = 0; t < threads; t++) {
            int share = rows / threads + (t < rows % threads ? 1 : 0);
            int first = t * (rows / threads) + Math.min(t, rows % threads);
            workers[t] = new Thread(() -> {
                try {
                    upsert(url, user, password, sql, first, share, batch);
                } catch (SQLException e) {
                    failure[0] = e;
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE " + TABLE.name());
        }
        System.out.printf("RESULT rows=%d seconds=%.2f rows_per_s=%.1f%n", rows, seconds, rows / seconds);
    }

    private static void upsert(String url, String user, String password, String sql, int first, int count, int batch)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement upsert = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                int n = first + i;
                upsert.setString(1, "raw-" + n);
                upsert.setString(2, "Blood Gulch");
                upsert.setInt(3, 600);
                upsert.setString(4, UUID.randomUUID().toString());
                upsert.setLong(5, System.currentTimeMillis());
                upsert.addBatch();
                if ((i + 1) % batch == 0 || i == count - 1) {
                    upsert.executeBatch();
                    connection.commit();
                }
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}

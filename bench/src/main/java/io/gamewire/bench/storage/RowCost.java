package io.gamewire.bench.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What one stored row costs, on the client (this thread's CPU) and in the database server (its
 * process's CPU, from {@code /proc}), per kind of row and Connector/J setting: the drain's rows
 * written by gamewire's own code, one thread, {@code --batch} rows per call of that code and one
 * commit each, as a sink writer does. The CPU figures do not depend on what else runs on the machine as
 * much as a rate does, so variants can be compared on a busy one.
 *
 * <p>Kinds: {@code events} ({@link SqlEventStore#insert}: the {@code events} row, 13 columns with
 * the payload), {@code title} ({@link RowUpserter#upsert}: the bench title's {@code match_end}
 * row, what {@link RawUpsertLoop} writes). A variant is {@code NAME=KIND[:JDBC-OPTIONS]}; rounds
 * rotate the order. Prints a line per variant and round, then {@code RESULT variant=NAME ...}
 * with the medians.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gamewire.bench.storage.RowCost --mysql 127.0.0.1:3306
 *     --variant events=events --variant title=title --variant events-sps=events:useServerPrepStmts=true
 *     [--rows 50000] [--batch 100] [--rounds 3] [--size 256]</pre>
 */
public final class RowCost {

    private static final String DATABASE = "gw_rowcost";
    private static final RowUpserter.Table TITLE_TABLE = new RowUpserter.Table("bench_rowcost_matches",
            List.of("match_id"), List.of("map", "duration_s"));
    private static final RoutingKey KEY = RoutingKey.parse("bench.prod.stats.match_end");

    private final String server;
    private final String user;
    private final String password;
    private final int rows;
    private final int batch;
    private final byte[] payload;

    private RowCost(String server, String user, String password, int rows, int batch, int size) {
        this.server = server;
        this.user = user;
        this.password = password;
        this.rows = rows;
        this.batch = batch;
        this.payload = payload(size);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> variants = new LinkedHashMap<>();
        String mysql = "127.0.0.1:3306";
        String user = "root";
        String password = "";
        int rows = 50_000;
        int batch = 100;
        int rounds = 3;
        int size = 256;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--variant" -> variants.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                case "--mysql" -> mysql = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--rows" -> rows = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("name at least one --variant NAME=events|title[:JDBC-OPTIONS]");
        }
        new RowCost(mysql, user, password, rows, batch, size).run(variants, rounds);
    }

    private void run(Map<String, String> variants, int rounds) throws Exception {
        String base = "jdbc:mysql://" + server + "/";
        String options = "useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true"
                + "&connectTimeout=3000&socketTimeout=30000";
        try (Connection admin = DriverManager.getConnection(base + "?" + options, user, password);
             Statement ddl = admin.createStatement()) {
            ddl.execute("DROP DATABASE IF EXISTS " + DATABASE);
            ddl.execute("CREATE DATABASE " + DATABASE);
        }
        try {
            try (HikariDataSource schema = PooledDataSources.create(base + DATABASE + "?" + options, user, password, 1,
                    5000)) {
                SchemaMigrator.migrate(schema);
                try (Connection connection = schema.getConnection(); Statement ddl = connection.createStatement()) {
                    ddl.execute("CREATE TABLE " + TITLE_TABLE.name() + " (match_id VARCHAR(64) NOT NULL PRIMARY KEY,"
                            + " map VARCHAR(64), duration_s INT, gw_message_id VARCHAR(36) NOT NULL,"
                            + " gw_event_time BIGINT NOT NULL)");
                }
            }
            long serverPid = serverPid();
            List<String> names = new ArrayList<>(variants.keySet());
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            System.out.printf("RowCost: %d rows per run, batch %d, payload %d B, %d rounds, database server pid %d%n",
                    rows, batch, payload.length, rounds, serverPid);
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    String spec = variants.get(name);
                    String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
                    String extra = spec.contains(":") ? "&" + spec.substring(spec.indexOf(':') + 1) : "";
                    double[] r = measure(kind, base + DATABASE + "?" + options + extra, serverPid);
                    results.computeIfAbsent(name, n -> new ArrayList<>()).add(r);
                    System.out.printf(Locale.ROOT, "round %d  %-14s client %6.2f us/row  server %6.2f us/row  %9.0f rows/s%n",
                            round + 1, name, r[0], r[1], r[2]);
                }
            }
            for (String name : names) {
                List<double[]> r = results.get(name);
                System.out.printf(Locale.ROOT, "RESULT variant=%s client_us_per_row=%.2f server_us_per_row=%.2f"
                        + " rows_per_s=%.0f rounds=%d%n", name, median(r, 0), median(r, 1), median(r, 2), r.size());
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(base + "?" + options, user, password);
                 Statement ddl = admin.createStatement()) {
                ddl.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }
    }

    /** One run of {@code kind}: client CPU us per row, server CPU us per row, rows per second. */
    private double[] measure(String kind, String url, long serverPid) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (HikariDataSource pool = PooledDataSources.create(url, user, password, 1, 5000);
             Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            // warm up: the JIT and the statement cache, on rows of their own
            write(kind, connection, Math.min(rows, 20_000));
            long serverBefore = serverCpuNanos(serverPid);
            long clientBefore = cpu.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            write(kind, connection, rows);
            long wall = System.nanoTime() - started;
            double client = (cpu.getCurrentThreadCpuTime() - clientBefore) / 1e3 / rows;
            double server = (serverCpuNanos(serverPid) - serverBefore) / 1e3 / rows;
            return new double[] {client, server, rows / (wall / 1e9)};
        }
    }

    private void write(String kind, Connection connection, int count) throws SQLException {
        List<StoredEvent> events = new ArrayList<>(batch);
        List<RowUpserter.Row> titleRows = new ArrayList<>(batch);
        for (int i = 0; i < count; i++) {
            // time-ordered ids, as gamewire's own (MessageIds): random ones would land all over the index
            UUID messageId = MessageIds.next();
            String id = messageId.toString();
            long now = System.currentTimeMillis();
            if (kind.equals("events")) {
                events.add(new StoredEvent(messageId, KEY, "application/json", payload, now, now,
                        Map.of("gw-source", "tcp", "gw-received-at", Long.toString(now))));
            } else if (kind.equals("title")) {
                // a key of its own per row and run: every title row is an insert, never an update
                titleRows.add(new RowUpserter.Row(Map.of("match_id", id, "map", "Blood Gulch",
                        "duration_s", 600L), id, now));
            } else {
                throw new IllegalArgumentException("unknown kind " + kind + ": events or title");
            }
            if (events.size() + titleRows.size() == batch || i == count - 1) {
                if (!events.isEmpty()) {
                    new SqlEventStore(null).insert(connection, events);
                }
                if (!titleRows.isEmpty()) {
                    RowUpserter.upsert(connection, TITLE_TABLE, titleRows);
                }
                connection.commit();
                events.clear();
                titleRows.clear();
            }
        }
    }

    private static byte[] payload(int size) {
        StringBuilder json = new StringBuilder("{\"match_id\":\"m-0001\",\"map\":\"Blood Gulch\",\"duration_s\":600,\"pad\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The local database server's process id: mariadbd or mysqld, the one started first. */
    private static long serverPid() throws IOException {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mariadbd") || c.endsWith("/mysqld")).orElse(false))
                .min(java.util.Comparator.comparing(p -> p.info().startInstant().orElse(java.time.Instant.MAX)))
                .map(ProcessHandle::pid)
                .orElseThrow(() -> new IOException("no mariadbd or mysqld process on this machine"));
    }

    /** User plus system CPU of {@code pid} from /proc, in nanoseconds (clock ticks of 10 ms). */
    private static long serverCpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 10_000_000L;
    }

    private static double median(List<double[]> values, int column) {
        double[] sorted = values.stream().mapToDouble(v -> v[column]).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

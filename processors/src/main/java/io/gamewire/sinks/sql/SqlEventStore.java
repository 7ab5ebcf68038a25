package io.gamewire.sinks.sql;

import io.gamewire.protocol.RoutingKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code events} table: one row per message id, written idempotently.
 *
 * <p>The statements are the common subset of MySQL/MariaDB and H2 in MySQL mode, so the same
 * class serves the embedded and the production stack. All values are bound parameters.
 */
public class SqlEventStore {

    // "ON DUPLICATE KEY UPDATE resends = resends + 1" turns a redelivered event into a count,
    // without INSERT IGNORE, which in MySQL would also swallow truncation and type errors. The
    // count marks the rows whose payload a resend must be checked against (resentRows).
    private static final String INSERT_INTO = "INSERT INTO events (message_id, routing_key, title, env, service,"
            + " command, content_type, payload, event_time_ms, received_at_ms, stored_at_ms, source, attributes)"
            + " VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ON_DUPLICATE = " ON DUPLICATE KEY UPDATE resends = resends + 1";

    /**
     * Rows per statement at most: the sink batch's default size, so that a full batch is one
     * statement. Many rows in one statement, written here rather than left to Connector/J's
     * rewriting of a JDBC batch: that rewrite escapes every payload twice (once to size the
     * statement, once to write it), a sixth of a sink writer's CPU (bench/README.md, "A warm drain").
     */
    static final int MAX_ROWS = 100;
    /**
     * The row counts a statement may have: {@link #MAX_ROWS} and the powers of two below it. A
     * partial batch is cut into these (37 rows: 32, 4, 1), so a connection's statement cache holds
     * at most eight shapes of the statement, not one per row count.
     */
    private static final int[] SHAPES = {MAX_ROWS, 64, 32, 16, 8, 4, 2, 1};
    /**
     * What one statement may carry at most, counting every text and binary value twice (the
     * escaping of the worst case) plus the rest of its row: far below the smallest
     * {@code max_allowed_packet} in use (4 MiB on MySQL 5.7 and older MariaDB; 16 MiB on MariaDB
     * 10.2 and later, 64 MiB on MySQL 8). A row larger than this gets a statement of its own.
     */
    static final int MAX_STATEMENT_BYTES = 1 << 20;

    /** The statement for {@code n} rows, n one of {@link #SHAPES}; made when first needed. */
    private static final String[] INSERTS = new String[MAX_ROWS + 1];

    private static final String SELECT = "SELECT routing_key, content_type, payload, event_time_ms, received_at_ms,"
            + " attributes, stored_at_ms FROM events WHERE message_id = ?";

    private final DataSource dataSource;

    public SqlEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the event unless a row with its message id exists; commits before returning. */
    public void store(StoredEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            insert(connection, List.of(event));
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

    /**
     * Inserts the events that have no row yet, in multi-row statements ({@link #chunkSizes}), on
     * the caller's connection; the caller commits (with the rest of its batch) or rolls back.
     * Returns how many of them had a row already (each such insert counts a resend instead), or
     * {@link Integer#MAX_VALUE} when the driver does not say: MySQL, MariaDB and H2 count an
     * inserted row 1 and an updated one 2.
     */
    public int insert(Connection connection, List<StoredEvent> events) throws SQLException {
        long storedAt = System.currentTimeMillis();
        String[] attributes = new String[events.size()];
        for (int i = 0; i < attributes.length; i++) {
            attributes[i] = AttributesColumn.write(events.get(i).attributes());
        }
        int from = 0;
        int resent = 0;
        for (int rows : chunkSizes(events, attributes)) {
            int affected = insertRows(connection, events, attributes, from, rows, storedAt);
            if (affected < rows) {
                resent = Integer.MAX_VALUE; // the driver did not count: read back to be sure
            } else if (resent != Integer.MAX_VALUE) {
                resent += affected - rows;
            }
            from += rows;
        }
        return resent;
    }

    /**
     * How {@code events} are cut into statements, in order: each as many rows as one of the
     * {@link #SHAPES} that fits into the rows left and into {@link #MAX_STATEMENT_BYTES}.
     */
    static List<Integer> chunkSizes(List<StoredEvent> events, String[] attributes) {
        List<Integer> sizes = new java.util.ArrayList<>();
        int from = 0;
        while (from < events.size()) {
            int left = events.size() - from;
            long bytes = 0;
            int fits = 0; // rows from `from` on that fit into the byte limit
            while (fits < Math.min(left, MAX_ROWS)) {
                bytes += rowBytes(events.get(from + fits), attributes[from + fits]);
                if (fits > 0 && bytes > MAX_STATEMENT_BYTES) {
                    break;
                }
                fits++;
            }
            int rows = 1;
            for (int shape : SHAPES) {
                if (shape <= fits) {
                    rows = shape;
                    break;
                }
            }
            sizes.add(rows);
            from += rows;
        }
        return sizes;
    }

    /** A row's worst-case share of a statement: its text and binary values escaped, plus the rest. */
    private static long rowBytes(StoredEvent event, String attributes) {
        long text = event.payload().length + event.routingKey().toString().length() * 2L
                + event.contentType().length() + (attributes == null ? 0 : attributes.length()) + 64;
        return 2 * text + ROW.length() + 32;
    }

    private static int insertRows(Connection connection, List<StoredEvent> events, String[] attributes, int from,
                                   int rows, long storedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertStatement(rows))) {
            int p = 0;
            for (int i = from; i < from + rows; i++) {
                StoredEvent event = events.get(i);
                RoutingKey key = event.routingKey();
                insert.setString(++p, event.messageId().toString());
                insert.setString(++p, key.toString());
                insert.setString(++p, key.title());
                insert.setString(++p, key.env());
                insert.setString(++p, key.service());
                insert.setString(++p, key.command());
                insert.setString(++p, event.contentType());
                insert.setBytes(++p, event.payload());
                insert.setLong(++p, event.eventTimeMs());
                insert.setLong(++p, event.receivedAtMs());
                insert.setLong(++p, storedAt);
                insert.setString(++p, event.source());
                insert.setString(++p, attributes[i]);
            }
            return insert.executeUpdate();
        }
    }

    static String insertStatement(int rows) {
        String statement = INSERTS[rows];
        if (statement == null) {
            StringBuilder sql = new StringBuilder(INSERT_INTO.length() + rows * (ROW.length() + 2) + ON_DUPLICATE.length());
            sql.append(INSERT_INTO).append(ROW);
            for (int i = 1; i < rows; i++) {
                sql.append(", ").append(ROW);
            }
            statement = sql.append(ON_DUPLICATE).toString();
            INSERTS[rows] = statement; // a benign race: two threads make the same string
        }
        return statement;
    }

    /** What a message id was first stored as: the event it names. */
    public record FirstStored(String routingKey, byte[] payload) {
        /** Whether {@code event} is this one again (a redelivery or a faithful resend), not another under its id. */
        public boolean isSameAs(StoredEvent event) {
            return routingKey.equals(event.routingKey().toString()) && java.util.Arrays.equals(payload, event.payload());
        }
    }

    /**
     * Of {@code ids}, those whose row was inserted again since it was first written (by this
     * transaction's {@link #insert} or before), with the routing key and payload the row holds. On
     * the caller's connection, after its insert: the insert waited for any other writer of the same
     * id to commit, so the row read is the one that stays. Called only when {@link #insert} counted
     * a resend; rows never resent cost an index lookup each and send nothing back.
     */
    public Map<UUID, FirstStored> resentRows(Connection connection, java.util.Collection<UUID> ids) throws SQLException {
        Map<UUID, FirstStored> resent = new java.util.HashMap<>();
        List<UUID> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += MAX_ROWS) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + MAX_ROWS));
            String sql = "SELECT message_id, routing_key, payload FROM events WHERE resends > 0 AND message_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i).toString());
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        resent.put(UUID.fromString(row.getString(1)), new FirstStored(row.getString(2), row.getBytes(3)));
                    }
                }
            }
        }
        return resent;
    }

    /** The stored event with this id, if any. */
    public Optional<StoredEvent> find(UUID messageId) throws SQLException {
        return findRow(messageId).map(StoredRow::event);
    }

    /** A stored event and when it was stored (Unix ms). */
    public record StoredRow(StoredEvent event, long storedAtMs) {
    }

    /** The stored event with this id and when it was stored, if any. */
    public Optional<StoredRow> findRow(UUID messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, messageId.toString());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredRow(new StoredEvent(messageId, RoutingKey.parse(row.getString(1)),
                        row.getString(2), row.getBytes(3), row.getLong(4), row.getLong(5),
                        AttributesColumn.read(row.getString(6))), row.getLong(7)));
            }
        }
    }

    /** How many rows carry this message id: 0 or 1, since it is the primary key. */
    public int countById(UUID messageId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM events WHERE message_id = ?")) {
            count.setString(1, messageId.toString());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}

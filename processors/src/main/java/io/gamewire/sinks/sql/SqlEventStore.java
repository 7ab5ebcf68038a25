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

    // "ON DUPLICATE KEY UPDATE message_id = message_id" turns a redelivered event into a no-op
    // without INSERT IGNORE, which in MySQL would also swallow truncation and type errors.
    private static final String INSERT_INTO = "INSERT INTO events (message_id, routing_key, title, env, service,"
            + " command, content_type, payload, event_time_ms, received_at_ms, stored_at_ms, source, attributes)"
            + " VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ON_DUPLICATE = " ON DUPLICATE KEY UPDATE message_id = message_id";

    /**
     * Rows per statement at most. One statement of many rows, written here rather than left to
     * Connector/J's rewriting of a JDBC batch: that rewrite escapes every payload twice (once to
     * size the statement, once to write it), a sixth of a sink writer's CPU (bench/README.md, "A
     * warm drain").
     */
    static final int MAX_ROWS = 100;
    /**
     * Payload bytes per statement at most, so that a statement stays far below MySQL's
     * max_allowed_packet (16 MiB by default, 4 MiB on older servers) even when every byte is
     * escaped to two; an event larger than this gets a statement of its own.
     */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;

    /** The statement for {@code n} rows, n from 1 to {@link #MAX_ROWS}; made when first needed. */
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
     * Inserts the events that have no row yet, in multi-row statements of up to {@link #MAX_ROWS}
     * rows and {@link #MAX_PAYLOAD_BYTES} of payload each, on the caller's connection; the caller
     * commits (with the rest of its batch) or rolls back.
     */
    public void insert(Connection connection, List<StoredEvent> events) throws SQLException {
        long storedAt = System.currentTimeMillis();
        int from = 0;
        while (from < events.size()) {
            int to = from;
            long bytes = 0;
            while (to < events.size() && to - from < MAX_ROWS
                    && (to == from || bytes + events.get(to).payload().length <= MAX_PAYLOAD_BYTES)) {
                bytes += events.get(to).payload().length;
                to++;
            }
            insertRows(connection, events.subList(from, to), storedAt);
            from = to;
        }
    }

    private static void insertRows(Connection connection, List<StoredEvent> rows, long storedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertStatement(rows.size()))) {
            int p = 0;
            for (StoredEvent event : rows) {
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
                insert.setString(++p, AttributesColumn.write(event.attributes()));
            }
            insert.executeUpdate();
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

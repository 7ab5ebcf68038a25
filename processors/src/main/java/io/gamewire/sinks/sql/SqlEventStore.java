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
    private static final String INSERT = "INSERT INTO events (message_id, routing_key, title, env, service,"
            + " command, content_type, payload, event_time_ms, received_at_ms, stored_at_ms, source, attributes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE message_id = message_id";

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
     * Inserts the events that have no row yet, in one JDBC batch on the caller's connection; the
     * caller commits (with the rest of its batch) or rolls back.
     */
    public void insert(Connection connection, List<StoredEvent> events) throws SQLException {
        long storedAt = System.currentTimeMillis();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (StoredEvent event : events) {
                RoutingKey key = event.routingKey();
                insert.setString(1, event.messageId().toString());
                insert.setString(2, key.toString());
                insert.setString(3, key.title());
                insert.setString(4, key.env());
                insert.setString(5, key.service());
                insert.setString(6, key.command());
                insert.setString(7, event.contentType());
                insert.setBytes(8, event.payload());
                insert.setLong(9, event.eventTimeMs());
                insert.setLong(10, event.receivedAtMs());
                insert.setLong(11, storedAt);
                insert.setString(12, event.source());
                insert.setString(13, AttributesColumn.write(event.attributes()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
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

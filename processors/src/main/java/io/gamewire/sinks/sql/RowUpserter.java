package io.gamewire.sinks.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Upserts rows into a title's table by its key, idempotently and in event-time order: a row is
 * replaced only by an event at least as new as the one it came from ({@code gw_event_time}), so a
 * redelivered event writes the same values again and an older event never overwrites a newer row.
 * Rows go in one JDBC batch and one commit.
 *
 * <p>One statement for MySQL/MariaDB and H2 in MySQL mode: {@code INSERT … ON DUPLICATE KEY UPDATE}
 * with {@code CASE WHEN VALUES(gw_event_time) >= gw_event_time …} per column, {@code gw_event_time}
 * assigned last because MySQL assigns left to right. Table and column names come from validated
 * title files ({@code [a-z][a-z0-9_]{0,63}}); every value is a bound parameter.
 */
public final class RowUpserter {

    public static final String MESSAGE_ID_COLUMN = "gw_message_id";
    public static final String EVENT_TIME_COLUMN = "gw_event_time";

    private final DataSource dataSource;

    public RowUpserter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A table: its key columns and the other columns an event sets. */
    public record Table(String name, List<String> keyColumns, List<String> valueColumns) {
        public Table {
            keyColumns = List.copyOf(keyColumns);
            valueColumns = List.copyOf(valueColumns);
        }
    }

    /**
     * One event's row: a value per column (String, Long, Double, Boolean or null), the event's
     * message id and time.
     */
    public record Row(Map<String, Object> values, String messageId, long eventTime) {
    }

    /** Upserts {@code rows} into {@code table} in one batch; committed when it returns. */
    public void upsert(Table table, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                upsert(connection, table, rows);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Upserts {@code rows} into {@code table} in one JDBC batch on the caller's connection, which
     * commits or rolls back with the rest of its transaction.
     */
    public static void upsert(Connection connection, Table table, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> columns = new ArrayList<>(table.keyColumns());
        columns.addAll(table.valueColumns());
        try (PreparedStatement statement = connection.prepareStatement(statement(table))) {
            for (Row row : rows) {
                int index = 1;
                for (String column : columns) {
                    bind(statement, index++, row.values().get(column));
                }
                statement.setString(index++, row.messageId());
                statement.setLong(index, row.eventTime());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The upsert statement for the table, one row's parameters: key columns, value columns, id, time. */
    public static String statement(Table table) {
        List<String> columns = new ArrayList<>(table.keyColumns());
        columns.addAll(table.valueColumns());
        columns.add(MESSAGE_ID_COLUMN);
        columns.add(EVENT_TIME_COLUMN);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.name()).append(" (")
                .append(String.join(", ", columns)).append(") VALUES (")
                .append(String.join(", ", java.util.Collections.nCopies(columns.size(), "?")))
                .append(") ON DUPLICATE KEY UPDATE ");
        List<String> updates = new ArrayList<>();
        List<String> assigned = new ArrayList<>(table.valueColumns());
        assigned.add(MESSAGE_ID_COLUMN);
        assigned.add(EVENT_TIME_COLUMN); // last: the conditions above read the row's old event time
        for (String column : assigned) {
            updates.add(column + " = CASE WHEN VALUES(" + EVENT_TIME_COLUMN + ") >= " + EVENT_TIME_COLUMN
                    + " THEN VALUES(" + column + ") ELSE " + column + " END");
        }
        return sql.append(String.join(", ", updates)).toString();
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof Double number) {
            statement.setDouble(index, number);
        } else if (value instanceof Boolean flag) {
            statement.setBoolean(index, flag);
        } else {
            throw new IllegalArgumentException("column value of type " + value.getClass().getName()
                    + " is not one of String, Long, Double, Boolean");
        }
    }
}

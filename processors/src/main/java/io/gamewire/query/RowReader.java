package io.gamewire.query;

import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.SqlSink.SqlColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads one row of a title table by its key, for a query's {@code sql} source:
 * {@code SELECT <declared columns> FROM <table> WHERE k1 = ? AND k2 = ?}. Plain SQL that means the
 * same on MySQL/MariaDB and H2 in MySQL mode. Table and column names come from validated title
 * files ({@code [a-z][a-z0-9_]{0,63}}); every key value is a bound parameter.
 *
 * <p>Only the columns the title file declares are read, not {@code gw_message_id} and
 * {@code gw_event_time}: those are gamewire's bookkeeping, not the title's data.
 */
public final class RowReader {

    private final DataSource dataSource;

    public RowReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The row whose key columns hold {@code key}.
     *
     * @param key a value per key column of the table (String, Long, Double or Boolean, as
     *            {@link io.gamewire.titles.model.SqlType#value} makes them)
     * @return the declared columns in the title file's order, each as its declared type's Java value
     *         (String, Long, Double, Boolean); a NULL column is left out. Empty when there is no such row.
     */
    public Optional<Map<String, Object>> read(SqlSink table, Map<String, Object> key) throws SQLException {
        List<SqlColumn> columns = new ArrayList<>(table.columns().values());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(select(table, key.keySet()))) {
            int index = 1;
            for (Object value : key.values()) {
                select.setObject(index++, value);
            }
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    Object value = value(rows, i + 1, columns.get(i));
                    if (value != null) {
                        row.put(columns.get(i).name(), value);
                    }
                }
                return Optional.of(row);
            }
        }
    }

    static String select(SqlSink table, Iterable<String> keyColumns) {
        List<String> conditions = new ArrayList<>();
        keyColumns.forEach(column -> conditions.add(column + " = ?"));
        return "SELECT " + String.join(", ", table.columns().keySet()) + " FROM " + table.table()
                + " WHERE " + String.join(" AND ", conditions);
    }

    /** The column as its declared type says, whatever the driver reports (MySQL's BOOLEAN is a TINYINT). */
    private static Object value(ResultSet rows, int index, SqlColumn column) throws SQLException {
        Object value = switch (column.type().base()) {
            case VARCHAR, TEXT -> rows.getString(index);
            case INT, BIGINT -> rows.getLong(index);
            case DOUBLE -> rows.getDouble(index);
            case BOOLEAN -> rows.getBoolean(index);
        };
        return rows.wasNull() ? null : value;
    }
}

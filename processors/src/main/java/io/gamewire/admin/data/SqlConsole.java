package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Runs one SELECT for {@code POST /v1/admin/sql}: checked by {@link ReadOnlySelect}, then run in a
 * read-only transaction that is always rolled back, with at most {@code limit} rows (capped by
 * {@code gamewire.console.sql-max-rows}) and a timeout ({@code gamewire.console.sql-timeout}).
 * MySQL/MariaDB enforce the transaction's read-only mode ({@code START TRANSACTION READ ONLY} after
 * {@link Connection#setReadOnly}); H2 has none ({@code setReadOnly} is a hint there), so there the
 * console connects as a user that may only {@code SELECT} ({@link ConsoleDataSource}). A query the
 * database refuses, or cancels at the timeout, is a {@link SqlFailedException}.
 *
 * <p>What the result shows of redacted data ({@link RedactedColumns}; the check lets such columns be
 * selected by name only): a title table's column filled from a {@code redact: true} field is
 * {@code "***"} (NULL stays NULL); {@code events.payload} is the payload as JSON redacted by the
 * command of the row's {@code routing_key} ({@link PayloadRedaction}), so the query must select
 * {@code routing_key} too, else every payload is {@code "***"} as soon as any title marks a field
 * (not JSON: base64 when its command marks nothing, else {@code "***"}); {@code events.attributes} is
 * a JSON object without the attributes whose name says key, token, secret and the like. The driver
 * tells which table and column each result column comes from ({@link ResultSetMetaData#getTableName},
 * {@link ResultSetMetaData#getColumnName}: both MySQL Connector/J and H2 give the table's own name
 * under an alias, and nothing for an expression).
 */
public final class SqlConsole {

    /** A query's result: column labels, rows of values, and whether more rows were left out. */
    public record Result(List<String> columns, List<List<Object>> rows, boolean truncated) {
    }

    private final DataSource dataSource;
    private final int maxRows;
    private final int timeoutSeconds;
    private final TitleRegistry titles;
    private final PayloadRedaction redaction;
    private final ObjectMapper json;

    /**
     * @param maxRows        {@code gamewire.console.sql-max-rows}: the most rows any query answers
     * @param timeoutSeconds {@code gamewire.console.sql-timeout}: how long the database may run it
     * @param titles         the titles in force, which say which columns hold redacted fields
     */
    public SqlConsole(DataSource dataSource, int maxRows, int timeoutSeconds, TitleRegistry titles,
                      PayloadRedaction redaction, ObjectMapper json) {
        this.dataSource = dataSource;
        this.maxRows = maxRows;
        this.timeoutSeconds = timeoutSeconds;
        this.titles = titles;
        this.redaction = redaction;
        this.json = json;
    }

    public int maxRows() {
        return maxRows;
    }

    /**
     * Checks and runs {@code sql}, answering at most {@code limit} rows.
     *
     * @throws SqlRefusedException when the check refuses it or {@code limit} is out of range
     * @throws SqlFailedException    when the database refuses it or its time runs out
     * @throws SQLException          when there is no connection or it cannot be set up
     */
    public Result query(String sql, int limit) throws SQLException {
        if (limit < 1 || limit > maxRows) {
            throw new SqlRefusedException("limit must be 1 to " + maxRows + " (gamewire.console.sql-max-rows), is "
                    + limit);
        }
        RedactedColumns redacted = RedactedColumns.of(titles);
        try (Connection connection = dataSource.getConnection()) {
            ReadOnlySelect.check(sql, ownSchemas(connection), redacted);
            boolean autoCommit = connection.getAutoCommit();
            boolean mysql = !connection.getMetaData().getDatabaseProductName().toUpperCase(Locale.ROOT).contains("H2");
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (mysql) {
                    statement.execute("START TRANSACTION READ ONLY");
                }
                // one more than the limit tells whether rows were left out
                statement.setMaxRows(limit + 1);
                statement.setQueryTimeout(timeoutSeconds);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    return read(rows, limit, redacted);
                }
            } catch (SQLException e) {
                throw SqlFailedException.of(e, timeoutSeconds);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
                connection.setReadOnly(false);
            }
        }
    }

    /** The connection's database (MySQL) and schema (H2): the only ones a query may name. */
    private static Set<String> ownSchemas(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        if (connection.getCatalog() != null && !connection.getCatalog().isEmpty()) {
            names.add(connection.getCatalog());
        }
        String schema = connection.getSchema();
        if (schema != null && !schema.isEmpty()) {
            names.add(schema);
        }
        return names;
    }

    /** How a result column is shown. */
    private enum Shown {
        AS_IS, MASKED, PAYLOAD, ATTRIBUTES, ROUTING_KEY
    }

    private Result read(ResultSet rows, int limit, RedactedColumns redacted) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> columns = new ArrayList<>(meta.getColumnCount());
        List<Shown> shown = new ArrayList<>(meta.getColumnCount());
        int routingKey = -1;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
            Shown how = shown(redacted, meta.getTableName(i), meta.getColumnName(i));
            shown.add(how);
            if (how == Shown.ROUTING_KEY) {
                routingKey = i;
            }
        }
        boolean anyRedacted = redaction.anyFieldRedacted();
        List<List<Object>> values = new ArrayList<>();
        boolean truncated = false;
        while (rows.next()) {
            if (values.size() == limit) {
                truncated = true;
                break;
            }
            String key = routingKey < 0 ? null : rows.getString(routingKey);
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                Object value = rows.getObject(i);
                row.add(value == null ? null : switch (shown.get(i - 1)) {
                    case MASKED -> PayloadRedaction.MASK;
                    case PAYLOAD -> payload(bytes(value), key, anyRedacted);
                    case ATTRIBUTES -> attributes(jsonValue(value));
                    case AS_IS, ROUTING_KEY -> jsonValue(value);
                });
            }
            values.add(row);
        }
        return new Result(columns, values, truncated);
    }

    private static Shown shown(RedactedColumns redacted, String table, String column) {
        if (table != null && RedactedColumns.lower(table).equals(RedactedColumns.EVENTS) && column != null) {
            switch (RedactedColumns.lower(column)) {
                case RedactedColumns.PAYLOAD:
                    return Shown.PAYLOAD;
                case RedactedColumns.ATTRIBUTES:
                    return Shown.ATTRIBUTES;
                case RedactedColumns.ROUTING_KEY:
                    return Shown.ROUTING_KEY;
                default:
                    return Shown.AS_IS;
            }
        }
        return redacted.contains(table, column) ? Shown.MASKED : Shown.AS_IS;
    }

    /**
     * A stored payload as JSON redacted by its row's command; without the routing key (not selected)
     * masked whole when any title marks a field, since nothing says which command it belongs to.
     */
    private Object payload(byte[] bytes, String routingKey, boolean anyRedacted) {
        JsonNode payload;
        try {
            payload = json.readTree(bytes);
        } catch (IOException e) {
            payload = null;
        }
        if (routingKey == null) {
            return anyRedacted ? PayloadRedaction.MASK : payload != null ? payload : jsonValue(bytes);
        }
        if (payload != null) {
            return redaction.redact(routingKey, payload);
        }
        boolean marksNothing = redaction.redactedFields(routingKey).map(java.util.Set::isEmpty).orElse(false);
        return marksNothing ? jsonValue(bytes) : PayloadRedaction.MASK;
    }

    /** The attributes' JSON without the secret-named ones; text that is not a JSON object is masked. */
    private Object attributes(Object text) {
        try {
            Map<String, String> attributes = json.readValue(text.toString(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            return PayloadRedaction.shownAttributes(attributes);
        } catch (IOException e) {
            return PayloadRedaction.MASK;
        }
    }

    private static byte[] bytes(Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) Math.min(blob.length(), Integer.MAX_VALUE));
        }
        return value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Numbers, strings and booleans as they are; bytes as base64; anything else as its text. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof java.sql.Clob clob) {
            try {
                return clob.getSubString(1, (int) Math.min(clob.length(), Integer.MAX_VALUE));
            } catch (SQLException e) {
                return "(unreadable CLOB: " + e.getMessage() + ")";
            }
        }
        if (value instanceof java.sql.Blob blob) {
            try {
                return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) Math.min(blob.length(), Integer.MAX_VALUE)));
            } catch (SQLException e) {
                return "(unreadable BLOB: " + e.getMessage() + ")";
            }
        }
        return value.toString();
    }
}

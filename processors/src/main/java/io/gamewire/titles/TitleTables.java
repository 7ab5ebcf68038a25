package io.gamewire.titles;

import io.gamewire.sinks.sql.RowUpserter;

import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.SqlSink.SqlColumn;
import io.gamewire.titles.model.SqlType;
import io.gamewire.titles.model.TitleDefinition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Creates and evolves the tables that title files declare. A new table is created; a new column is
 * added; a column that disappeared from the file, changed its type, or a changed upsert key is
 * refused with a message saying so — gamewire never drops or converts data on its own.
 *
 * <p>Besides the declared columns every table has {@code gw_message_id} and {@code gw_event_time},
 * which let the sink skip an event older than the row it would overwrite.
 */
public final class TitleTables {

    public static final String MESSAGE_ID_COLUMN = RowUpserter.MESSAGE_ID_COLUMN;
    public static final String EVENT_TIME_COLUMN = RowUpserter.EVENT_TIME_COLUMN;
    private static final Set<String> OWN_COLUMNS = Set.of(MESSAGE_ID_COLUMN, EVENT_TIME_COLUMN);

    private final DataSource dataSource;

    public TitleTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A change of a table that would lose or convert data. */
    public static class RefusedChangeException extends Exception {
        public RefusedChangeException(String message) {
            super(message);
        }
    }

    /**
     * Lists the changes the title's tables need, without making them.
     *
     * @return DDL statements to run, in order
     * @throws RefusedChangeException when a column was removed or retyped, or the key changed
     */
    public List<String> plan(TitleDefinition title) throws SQLException, RefusedChangeException {
        List<String> statements = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            for (SqlSink sink : sinks(title)) {
                Map<String, ExistingColumn> existing = columns(connection, sink.table());
                if (existing.isEmpty()) {
                    statements.add(createTable(sink));
                } else {
                    statements.addAll(alterTable(title, sink, existing, primaryKey(connection, sink.table())));
                }
            }
        }
        return statements;
    }

    /** Plans and runs the changes; returns the statements run. */
    public List<String> apply(TitleDefinition title) throws SQLException, RefusedChangeException {
        List<String> statements = plan(title);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String ddl : statements) {
                statement.execute(ddl);
            }
        }
        return statements;
    }

    static List<SqlSink> sinks(TitleDefinition title) {
        return title.services().values().stream()
                .flatMap(service -> service.commands().values().stream())
                .map(command -> command.sql())
                .filter(sink -> sink != null)
                .toList();
    }

    private static String createTable(SqlSink sink) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(sink.table()).append(" (");
        for (SqlColumn column : sink.columns().values()) {
            ddl.append(column.name()).append(' ').append(column.type().ddl());
            if (sink.key().contains(column.name())) {
                ddl.append(" NOT NULL");
            }
            ddl.append(", ");
        }
        ddl.append(MESSAGE_ID_COLUMN).append(" CHAR(36) NOT NULL, ")
                .append(EVENT_TIME_COLUMN).append(" BIGINT NOT NULL, ")
                .append("PRIMARY KEY (").append(String.join(", ", sink.key())).append("))");
        return ddl.toString();
    }

    private static List<String> alterTable(TitleDefinition title, SqlSink sink, Map<String, ExistingColumn> existing,
                                           List<String> existingKey) throws RefusedChangeException {
        String where = "table " + sink.table() + " (title " + title.title() + ")";
        for (String column : existing.keySet()) {
            if (!OWN_COLUMNS.contains(column) && !sink.columns().containsKey(column)) {
                throw new RefusedChangeException(where + " has column '" + column + "', which the title file no longer "
                        + "declares; gamewire does not drop columns: declare it again, or drop it by hand after a backup");
            }
        }
        if (!existingKey.equals(sink.key())) {
            throw new RefusedChangeException(where + " has upsert key " + existingKey + ", the title file says "
                    + sink.key() + "; changing a primary key is not done automatically");
        }
        List<String> statements = new ArrayList<>();
        for (SqlColumn column : sink.columns().values()) {
            ExistingColumn current = existing.get(column.name());
            if (current == null) {
                statements.add("ALTER TABLE " + sink.table() + " ADD COLUMN " + column.name() + " " + column.type().ddl());
            } else if (!current.matches(column.type())) {
                throw new RefusedChangeException(where + " column '" + column.name() + "' is " + current
                        + " in the database, the title file says " + column.type()
                        + "; changing a column's type is not done automatically");
            }
        }
        return statements;
    }

    /** A column as the database reports it. */
    record ExistingColumn(String typeName, int jdbcType, int size) {

        boolean matches(SqlType declared) {
            return switch (declared.base()) {
                case VARCHAR -> jdbcType == Types.VARCHAR && size == declared.length();
                // MySQL reports TEXT as LONGVARCHAR; H2 in MySQL mode makes it a huge VARCHAR
                case TEXT -> jdbcType == Types.LONGVARCHAR || jdbcType == Types.CLOB
                        || jdbcType == Types.VARCHAR && size > SqlType.MAX_VARCHAR;
                case INT -> jdbcType == Types.INTEGER;
                case BIGINT -> jdbcType == Types.BIGINT;
                case DOUBLE -> jdbcType == Types.DOUBLE || jdbcType == Types.FLOAT;
                case BOOLEAN -> jdbcType == Types.BOOLEAN || jdbcType == Types.BIT;
            };
        }

        @Override
        public String toString() {
            if (jdbcType == Types.VARCHAR) {
                return size > SqlType.MAX_VARCHAR ? "text" : "varchar(" + size + ")";
            }
            return typeName.toLowerCase(Locale.ROOT);
        }
    }

    private static Map<String, ExistingColumn> columns(Connection connection, String table) throws SQLException {
        Map<String, ExistingColumn> columns = new LinkedHashMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rows = meta.getColumns(connection.getCatalog(), connection.getSchema(), table, "%")) {
            while (rows.next()) {
                columns.put(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                        new ExistingColumn(rows.getString("TYPE_NAME"), rows.getInt("DATA_TYPE"), rows.getInt("COLUMN_SIZE")));
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        Map<Integer, String> key = new java.util.TreeMap<>();
        try (ResultSet rows = connection.getMetaData().getPrimaryKeys(connection.getCatalog(), connection.getSchema(), table)) {
            while (rows.next()) {
                key.put(rows.getInt("KEY_SEQ"), rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(key.values());
    }
}

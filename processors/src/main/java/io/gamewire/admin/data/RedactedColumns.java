package io.gamewire.admin.data;

import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The columns of gamewire's tables whose values an operator may not read as stored, each with why:
 * <ul>
 *   <li>a title table's column that a command's {@code sql:} sink fills from a field its schema marks
 *       {@code redact: true} (or from the whole payload of a command that marks any), for every
 *       command of the titles in force that fills the table;</li>
 *   <li>{@code events.payload}, always: it is shown row by row redacted by the row's command
 *       ({@link PayloadRedaction}), and a command no title defines any more is masked whole;</li>
 *   <li>{@code events.attributes}, always: a client's own attributes may hold keys or tokens, which
 *       are left out row by row ({@link PayloadRedaction#isSecretAttribute}).</li>
 * </ul>
 * The SQL console ({@link ReadOnlySelect}, {@link SqlConsole}) lets such a column be selected by
 * name and masks it in the result, and refuses any other use of it. Names are kept lower-case (title
 * tables are {@code [a-z][a-z0-9_]*}; H2 here folds names to lower case, MySQL keeps them as made).
 */
public final class RedactedColumns {

    static final String EVENTS = "events";
    static final String PAYLOAD = "payload";
    static final String ATTRIBUTES = "attributes";
    static final String ROUTING_KEY = "routing_key";

    private static final Map<String, String> EVENTS_COLUMNS = Map.of(
            PAYLOAD, "holds every event's payload, shown row by row with the fields its title marks redact: true"
                    + " as ***",
            ATTRIBUTES, "holds the events' attributes, shown row by row without those whose name says key, token,"
                    + " secret or the like");

    private final Map<String, Map<String, String>> byTable;

    private RedactedColumns(Map<String, Map<String, String>> byTable) {
        this.byTable = byTable;
    }

    /** The columns of the titles in force, and the events table's. */
    public static RedactedColumns of(TitleRegistry titles) {
        Map<String, Map<String, String>> byTable = new LinkedHashMap<>();
        for (TitleDefinition title : titles.titles().values()) {
            for (ServiceDefinition service : title.services().values()) {
                for (CommandDefinition command : service.commands().values()) {
                    Set<String> redacted = command.schema() == null ? Set.of() : command.schema().redacted();
                    if (command.sql() == null || redacted.isEmpty()) {
                        continue;
                    }
                    for (SqlSink.SqlColumn column : command.sql().columns().values()) {
                        if (PayloadRedaction.derivedFromRedacted(redacted, column.from())) {
                            byTable.computeIfAbsent(lower(command.sql().table()), table -> new LinkedHashMap<>())
                                    .putIfAbsent(lower(column.name()), "holds " + column.from() + " of "
                                            + title.title() + "'s command " + service.name() + "." + command.name()
                                            + ", which its schema marks redact: true");
                        }
                    }
                }
            }
        }
        return of(byTable);
    }

    /** Title tables' redacted columns, {@code table → column → why}; the events table's are added. */
    static RedactedColumns of(Map<String, Map<String, String>> titleColumns) {
        Map<String, Map<String, String>> byTable = new LinkedHashMap<>();
        titleColumns.forEach((table, columns) -> {
            Map<String, String> lowered = new LinkedHashMap<>();
            columns.forEach((column, why) -> lowered.put(lower(column), why));
            byTable.put(lower(table), Map.copyOf(lowered));
        });
        byTable.put(EVENTS, EVENTS_COLUMNS);
        return new RedactedColumns(Map.copyOf(byTable));
    }

    /** This table's redacted columns and why (lower-case names); empty when it has none. */
    Map<String, String> of(String table) {
        return table == null ? Map.of() : byTable.getOrDefault(lower(table), Map.of());
    }

    /** Whether {@code table.column} is one of them (any case; a null table is none). */
    boolean contains(String table, String column) {
        return column != null && of(table).containsKey(lower(column));
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

package io.gamewire.titles;

import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that span title files: one table declared by two sinks must be declared the same way
 * (same key, same columns), since they write the same rows.
 */
public final class CrossTitleChecks {

    private CrossTitleChecks() {
    }

    private record Declaration(TitleDefinition title, String where, SqlSink sink) {
    }

    public static List<Problem> check(List<TitleDefinition> titles) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Declaration> tables = new HashMap<>();
        for (TitleDefinition title : titles) {
            for (ServiceDefinition service : title.services().values()) {
                for (CommandDefinition command : service.commands().values()) {
                    if (command.sql() == null) {
                        continue;
                    }
                    String where = "services." + service.name() + ".commands." + command.name() + ".sql";
                    Declaration first = tables.putIfAbsent(command.sql().table(), new Declaration(title, where, command.sql()));
                    if (first != null && !sameShape(first.sink(), command.sql())) {
                        problems.add(new Problem(title.file(), 1, 1, where + ".table", "table '" + command.sql().table()
                                + "' is also declared, with other columns or key, by " + first.title().file() + " ("
                                + first.where() + "); one table needs one declaration"));
                    }
                }
            }
        }
        return problems;
    }

    private static boolean sameShape(SqlSink a, SqlSink b) {
        if (!a.key().equals(b.key()) || !a.columns().keySet().equals(b.columns().keySet())) {
            return false;
        }
        return a.columns().values().stream().allMatch(column -> column.type().equals(b.columns().get(column.name()).type()));
    }
}

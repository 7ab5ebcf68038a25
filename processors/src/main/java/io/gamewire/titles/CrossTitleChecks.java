package io.gamewire.titles;

import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that span title files: one table declared by two sinks must be declared the same way
 * (same key, same columns), since they write the same rows. {@code gamewire validate} runs them
 * on a folder; every reload runs them on the titles it would put in force
 * ({@link ReloadTableChecks}).
 */
public final class CrossTitleChecks {

    private CrossTitleChecks() {
    }

    /** Where one sink declares a table: its title and the field path of its {@code sql}. */
    record Declaration(TitleDefinition title, String where, SqlSink sink) {
    }

    /** Two declarations of one table that disagree; {@code first} is the one met first. */
    record Conflict(String table, Declaration first, Declaration second) {

        /** The problem as the file of {@code side} (either declaration) has it: naming the other. */
        Problem on(Declaration side) {
            Declaration other = side == first ? second : first;
            return new Problem(side.title().file(), 1, 1, side.where() + ".table", "table '" + table
                    + "' is also declared, with other columns or key, by " + other.title().file() + " ("
                    + other.where() + "); one table needs one declaration");
        }
    }

    /** The problems of a folder's titles: each conflict on the file met second. */
    public static List<Problem> check(List<TitleDefinition> titles) {
        return conflicts(titles).stream().map(conflict -> conflict.on(conflict.second())).toList();
    }

    /** Every declaration that disagrees with the first declaration of its table, in order. */
    static List<Conflict> conflicts(Collection<TitleDefinition> titles) {
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, Declaration> firsts = new HashMap<>();
        for (Declaration declaration : declarations(titles)) {
            Declaration first = firsts.putIfAbsent(declaration.sink().table(), declaration);
            if (first != null && !sameShape(first.sink(), declaration.sink())) {
                conflicts.add(new Conflict(declaration.sink().table(), first, declaration));
            }
        }
        return conflicts;
    }

    /** Every sql sink's declaration, in the order of the titles, services and commands. */
    static List<Declaration> declarations(Collection<TitleDefinition> titles) {
        List<Declaration> declarations = new ArrayList<>();
        for (TitleDefinition title : titles) {
            for (ServiceDefinition service : title.services().values()) {
                for (CommandDefinition command : service.commands().values()) {
                    if (command.sql() != null) {
                        String where = "services." + service.name() + ".commands." + command.name() + ".sql";
                        declarations.add(new Declaration(title, where, command.sql()));
                    }
                }
            }
        }
        return declarations;
    }

    static boolean sameShape(SqlSink a, SqlSink b) {
        if (!a.key().equals(b.key()) || !a.columns().keySet().equals(b.columns().keySet())) {
            return false;
        }
        return a.columns().values().stream().allMatch(column -> column.type().equals(b.columns().get(column.name()).type()));
    }
}

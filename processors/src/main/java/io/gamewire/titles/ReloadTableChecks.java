package io.gamewire.titles;

import io.gamewire.titles.CrossTitleChecks.Conflict;
import io.gamewire.titles.CrossTitleChecks.Declaration;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The cross-title table check of a reload ({@link CrossTitleChecks}): which new or changed titles
 * it refuses because one of their tables is declared otherwise by a title as it will be in force.
 *
 * <p>Without it, {@link TitleTables} and the database decided alone: a second title declaring an
 * existing table with more columns widened the first title's table, and every later edit of the
 * first was refused as if it had dropped those columns.
 *
 * <p>Who is refused, for each pair of declarations that disagree:
 * <ul>
 * <li>neither title changed: no one (the tables are as they were);
 * <li>one changed: that one; a title that did not change is never refused for another's change;
 * <li>both changed: the one whose declaration is not the table's as in force. If neither is (or
 *     the table is not in force yet), two titles change one table in two ways: the way more of the
 *     changed titles declare it stands, and the side that declares it otherwise is refused; on a
 *     tie, both are.
 * </ul>
 * Files that change together are checked together, so titles sharing a table can add a column to
 * it in one reload. A refused title keeps its last good version, which the others are then checked
 * against, until no more titles are refused.
 */
final class ReloadTableChecks {

    private ReloadTableChecks() {
    }

    /**
     * @param inForce the titles in force when the reload began, by name
     * @param folder  each file of the folder as parsed, in the order the reload reads them
     * @param refusedVersions the versions the applier refused, by title: such a file keeps its
     *                title's last good version, so that is what the others are checked against
     * @return the problem that refuses each new or changed title, by title
     */
    static Map<String, Problem> refused(Map<String, TitleDefinition> inForce, Map<Path, TitleFolder.Parsed> folder,
                                        Map<String, String> refusedVersions) {
        // as TitleReload takes them: the first file met for a name holds it, good or broken
        Map<String, TitleDefinition> fromFiles = new LinkedHashMap<>();
        Set<String> broken = new HashSet<>();
        Set<String> seen = new HashSet<>();
        folder.forEach((file, parsed) -> {
            TitleFileParser.Result result = parsed.result();
            String title = result.ok() ? result.definition().title() : TitleFolder.titleName(file);
            if (seen.add(title)) {
                if (result.ok() && !parsed.version().equals(refusedVersions.get(title))) {
                    fromFiles.put(title, result.definition());
                } else {
                    broken.add(title);
                }
            }
        });
        return refused(inForce, fromFiles, broken);
    }

    /**
     * @param inForce   the titles in force when the reload began, by name
     * @param fromFiles the titles of the folder's good files, by name (the first file of a name)
     * @param broken    the titles whose file is there but cannot be taken: their version in force stays
     * @return the problem that refuses each new or changed title, by title
     */
    static Map<String, Problem> refused(Map<String, TitleDefinition> inForce, Map<String, TitleDefinition> fromFiles,
                                        Set<String> broken) {
        Map<String, SqlSink> tablesInForce = tablesInForce(inForce);
        Map<String, Problem> refused = new LinkedHashMap<>();
        boolean refusedMore = true;
        while (refusedMore) {
            refusedMore = false;
            Collection<TitleDefinition> after = after(inForce, fromFiles, broken, refused.keySet()).values();
            List<Declaration> declarations = CrossTitleChecks.declarations(after);
            for (Conflict conflict : CrossTitleChecks.conflicts(after)) {
                for (Declaration side : toRefuse(conflict, inForce, tablesInForce, declarations)) {
                    Conflict named = new Conflict(conflict.table(), otherThan(side, declarations, conflict), side);
                    refusedMore |= refused.putIfAbsent(side.title().title(), named.on(side)) == null;
                }
            }
        }
        return refused;
    }

    /** The sides of a conflict to refuse (see the class comment). */
    private static List<Declaration> toRefuse(Conflict conflict, Map<String, TitleDefinition> inForce,
                                              Map<String, SqlSink> tablesInForce, List<Declaration> declarations) {
        List<Declaration> changed = Stream.of(conflict.first(), conflict.second())
                .filter(side -> changed(side, inForce)).toList();
        if (changed.size() < 2) {
            return changed;
        }
        SqlSink inForceShape = tablesInForce.get(conflict.table());
        List<Declaration> changingTheTable = changed.stream()
                .filter(side -> inForceShape == null || !CrossTitleChecks.sameShape(inForceShape, side.sink())).toList();
        if (changingTheTable.size() < 2) {
            return changingTheTable.isEmpty() ? changed : changingTheTable;
        }
        // both change the table, in two ways: decided once for the table, over every changed title
        // that declares it (a conflict pairs each declaration with the first one only). The way most
        // of them declare it, if one does, stands; on a tie every one that changes the table is refused
        List<Declaration> changingIt = declarations.stream()
                .filter(side -> side.sink().table().equals(conflict.table()) && changed(side, inForce))
                .filter(side -> inForceShape == null || !CrossTitleChecks.sameShape(inForceShape, side.sink()))
                .toList();
        return mostDeclared(changingIt)
                .map(shape -> changingIt.stream().filter(side -> !CrossTitleChecks.sameShape(shape, side.sink())).toList())
                .orElse(changingIt);
    }

    /**
     * A declaration of {@code side}'s table that declares it otherwise, for {@code side}'s problem to
     * name: a side refused on a tie need not be in {@code conflict}, and may agree with its first.
     */
    private static Declaration otherThan(Declaration side, List<Declaration> declarations, Conflict conflict) {
        return declarations.stream()
                .filter(other -> other.sink().table().equals(conflict.table())
                        && !CrossTitleChecks.sameShape(other.sink(), side.sink()))
                .findFirst().orElse(side == conflict.first() ? conflict.second() : conflict.first());
    }

    private static boolean changed(Declaration side, Map<String, TitleDefinition> inForce) {
        return !side.title().equals(inForce.get(side.title().title()));
    }

    /** The titles that declare a table in one shape. */
    private record ShapeGroup(SqlSink shape, Set<String> titles) {
    }

    /**
     * The shape that more of the titles of {@code declarations} declare than any other, or empty on
     * a tie: then no way of changing the table is taken.
     */
    private static Optional<SqlSink> mostDeclared(List<Declaration> declarations) {
        List<ShapeGroup> groups = new ArrayList<>();
        for (Declaration side : declarations) {
            ShapeGroup group = groups.stream().filter(g -> CrossTitleChecks.sameShape(g.shape(), side.sink()))
                    .findFirst().orElse(null);
            if (group == null) {
                group = new ShapeGroup(side.sink(), new HashSet<>());
                groups.add(group);
            }
            group.titles().add(side.title().title());
        }
        int most = groups.stream().mapToInt(group -> group.titles().size()).max().orElse(0);
        List<ShapeGroup> largest = groups.stream().filter(group -> group.titles().size() == most).toList();
        return largest.size() == 1 ? Optional.of(largest.get(0).shape()) : Optional.empty();
    }

    /** Each table as the titles in force declare it (the first declaration, by title name). */
    private static Map<String, SqlSink> tablesInForce(Map<String, TitleDefinition> inForce) {
        Map<String, SqlSink> tables = new HashMap<>();
        new TreeMap<>(inForce).values().forEach(title -> title.services().values().forEach(service ->
                service.commands().values().stream().filter(command -> command.sql() != null)
                        .forEach(command -> tables.putIfAbsent(command.sql().table(), command.sql()))));
        return tables;
    }

    /** The titles in force after the reload if it refused {@code refused}, sorted by name. */
    private static Map<String, TitleDefinition> after(Map<String, TitleDefinition> inForce,
                                                      Map<String, TitleDefinition> fromFiles, Set<String> broken,
                                                      Set<String> refused) {
        Map<String, TitleDefinition> after = new TreeMap<>();
        Set<String> keepLastGood = new HashSet<>(broken);
        keepLastGood.addAll(refused);
        fromFiles.forEach((title, definition) -> {
            if (!keepLastGood.contains(title)) {
                after.put(title, definition);
            }
        });
        keepLastGood.stream().filter(inForce::containsKey).forEach(title -> after.put(title, inForce.get(title)));
        return after;
    }
}

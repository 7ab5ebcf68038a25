package io.gamewire.admin.data;

import io.gamewire.admin.data.SqlTokens.Kind;
import io.gamewire.admin.data.SqlTokens.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The part of the SQL check that keeps redacted columns ({@link RedactedColumns}) from being read
 * around the mask. The one rule: such a column may be <em>selected by name</em> (or with {@code *})
 * in the outermost {@code SELECT}, where {@link SqlConsole} masks it in the result, and nowhere else.
 * Refused, naming the column and why it is redacted:
 * <ul>
 *   <li>its name anywhere else in the text: in an expression or function ({@code UPPER(email)},
 *       {@code CONCAT(email, '')}), a condition ({@code WHERE email LIKE 'a%'} would reveal it letter
 *       by letter), a join, {@code ORDER BY}/{@code GROUP BY}, a subquery, a {@code WITH} or a
 *       {@code UNION} (whose results the database no longer ties to the column). This is counted on
 *       the tokens ({@link SqlTokens}: comments dropped, literals opaque), so no form of expression can
 *       slip by; a name used both ways is refused even where it meant another table's column;</li>
 *   <li>the alias of such a column used again ({@code SELECT email e … ORDER BY e});</li>
 *   <li>{@code *} or {@code t.*} in any other {@code SELECT} (subquery, {@code WITH}, {@code UNION}
 *       branch) that reads a table with such columns: the column would leave under another name;</li>
 *   <li>{@code DISTINCT}, and {@code ORDER BY}/{@code GROUP BY} by position, in a {@code SELECT} that
 *       shows such a column: they compare the values the mask hides.</li>
 * </ul>
 */
final class RedactedColumnUse {

    private static final String ONLY_BY_NAME = ": it may only be selected by name, and is shown as ***; it is refused in"
            + " expressions, functions, conditions, joins, ORDER BY, GROUP BY, subqueries, WITH and UNION";

    private RedactedColumnUse() {
    }

    /**
     * @param tables the tables the statement reads, as JSqlParser names them (maybe qualified, quoted)
     * @param selects every {@code SELECT} of the statement, the outermost included
     * @throws SqlRefusedException for a use the rule refuses
     */
    static void check(Statement statement, List<Token> tokens, Set<String> tables, List<PlainSelect> selects,
                      RedactedColumns redacted) {
        Map<String, String> guarded = new LinkedHashMap<>();
        for (String table : tables) {
            String name = tableName(table);
            redacted.of(name).forEach((column, why) -> guarded.putIfAbsent(column, "column " + name + "." + column + " "
                    + why));
        }
        if (guarded.isEmpty()) {
            return;
        }
        PlainSelect outermost = statement instanceof PlainSelect plain ? plain : null;
        Map<String, Integer> allowed = new HashMap<>();
        Map<String, String> names = new LinkedHashMap<>(guarded);
        boolean showsRedacted = false;
        if (outermost != null) {
            for (SelectItem<?> item : outermost.getSelectItems()) {
                Expression expression = item.getExpression();
                if (expression instanceof Column column && guarded.containsKey(lower(column.getUnquotedColumnName()))) {
                    String name = lower(column.getUnquotedColumnName());
                    allowed.merge(name, 1, Integer::sum);
                    showsRedacted = true;
                    if (item.getAlias() != null) {
                        String alias = lower(item.getUnquotedAliasName());
                        names.putIfAbsent(alias, guarded.get(name) + " (selected as " + alias + ")");
                        allowed.merge(alias, 1, Integer::sum);
                    }
                } else if (expression instanceof AllColumns && readsRedacted(outermost, redacted)) {
                    showsRedacted = true;
                }
            }
        }
        Map<String, Integer> used = occurrences(tokens, names.keySet());
        for (Map.Entry<String, String> name : names.entrySet()) {
            if (used.getOrDefault(name.getKey(), 0) > allowed.getOrDefault(name.getKey(), 0)) {
                throw new SqlRefusedException(name.getValue() + ONLY_BY_NAME + "; select other columns");
            }
        }
        for (PlainSelect select : selects) {
            if (select != outermost && select.getSelectItems().stream().anyMatch(item -> item.getExpression() instanceof AllColumns)
                    && readsRedacted(select, redacted)) {
                throw new SqlRefusedException("* in a subquery, WITH or UNION over " + String.join(", ",
                        redactedTables(select, redacted)) + " would pass on redacted columns under other names ("
                        + String.join(", ", guarded.keySet()) + "): name the columns it needs");
            }
        }
        if (outermost != null && showsRedacted) {
            if (outermost.getDistinct() != null) {
                throw new SqlRefusedException("DISTINCT compares the values of redacted columns (" + String.join(", ",
                        guarded.keySet()) + "), which are shown as ***: select other columns, or no DISTINCT");
            }
            if (byPosition(outermost)) {
                throw new SqlRefusedException("ORDER BY or GROUP BY by position, in a SELECT that shows redacted"
                        + " columns (" + String.join(", ", guarded.keySet()) + "), could sort or group by them: name"
                        + " the column instead");
            }
        }
    }

    /** How often each of {@code names} appears as a word or quoted name (lower-case). */
    private static Map<String, Integer> occurrences(List<Token> tokens, Set<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        for (Token token : tokens) {
            String name = null;
            if (token.kind() == Kind.WORD) {
                name = lower(token.text());
            } else if (token.kind() == Kind.QUOTED && !token.text().startsWith("'")) {
                name = lower(token.text().substring(1, token.text().length() - 1));
            }
            if (name != null && names.contains(name)) {
                counts.merge(name, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static boolean readsRedacted(PlainSelect select, RedactedColumns redacted) {
        return !redactedTables(select, redacted).isEmpty();
    }

    /** The tables with redacted columns this SELECT reads directly (FROM and JOIN). */
    private static List<String> redactedTables(PlainSelect select, RedactedColumns redacted) {
        List<FromItem> from = new ArrayList<>();
        if (select.getFromItem() != null) {
            from.add(select.getFromItem());
        }
        if (select.getJoins() != null) {
            select.getJoins().stream().map(Join::getRightItem).forEach(from::add);
        }
        return from.stream().filter(Table.class::isInstance).map(item -> lower(((Table) item).getUnquotedName()))
                .filter(name -> !redacted.of(name).isEmpty()).distinct().collect(Collectors.toList());
    }

    private static boolean byPosition(PlainSelect select) {
        List<OrderByElement> order = select.getOrderByElements();
        if (order != null && order.stream().anyMatch(element -> element.getExpression() instanceof LongValue)) {
            return true;
        }
        return select.getGroupBy() != null && select.getGroupBy().getGroupByExpressionList() != null
                && ((List<?>) select.getGroupBy().getGroupByExpressionList()).stream().anyMatch(LongValue.class::isInstance);
    }

    /** The table of a name such as {@code gamewire.`events`}: its last part, unquoted, lower-case. */
    static String tableName(String qualified) {
        String[] parts = qualified.split("\\.");
        String last = parts[parts.length - 1];
        if (last.length() >= 2 && (last.startsWith("`") || last.startsWith("\""))) {
            last = last.substring(1, last.length() - 1);
        }
        return lower(last);
    }

    private static String lower(String name) {
        return RedactedColumns.lower(name);
    }
}

package io.gamewire.admin.data;

import io.gamewire.admin.data.SqlTokens.Kind;
import io.gamewire.admin.data.SqlTokens.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The check of the admin SQL console: one {@code SELECT} (or {@code WITH … SELECT}) that reads
 * gamewire's own tables and changes nothing. Two passes, each refusing with the reason:
 * <ol>
 *   <li>on the tokens ({@link SqlTokens}: comments dropped, literals opaque), the clauses that
 *       write, lock or run something: a second statement after {@code ;}, {@code INTO} (OUTFILE,
 *       DUMPFILE, {@code @var}, a table), {@code FOR UPDATE}/{@code FOR SHARE},
 *       {@code LOCK IN SHARE MODE}, statement keywords such as {@code DELETE} or {@code DROP},
 *       {@code :=}, {@code NEXT VALUE FOR};</li>
 *   <li>on the statement as JSqlParser parses it: exactly one statement, a query, and no table of
 *       another schema (information_schema, mysql, performance_schema, sys or any database other
 *       than gamewire's own);</li>
 *   <li>calls ({@link #checkCalls}): every name directly before {@code (} in the tokens is a function
 *       of {@link AllowedFunctions}, a word of the SELECT syntax or a {@code WITH} name; a quoted name
 *       before {@code (} is refused (both databases call {@code `FILE_READ`(…)} and
 *       {@code "FILE_READ"(…)} like {@code FILE_READ(…)}); and every function in the parse tree is
 *       allowed and is one the tokens call too, so that the check and the parser read the same text.
 *       The tokens are the guard: JSqlParser's visitor does not walk every clause (ORDER BY);</li>
 *   <li>redacted columns ({@link RedactedColumns}) only selected by name in the outermost SELECT,
 *       where the result masks them, and nowhere else ({@link RedactedColumnUse}).</li>
 * </ol>
 * The database then runs it in a read-only transaction that is rolled back, as an account that may
 * only read ({@link SqlConsole}, {@link ConsoleDataSource}).
 */
public final class ReadOnlySelect {

    /** Longer text is refused before it is parsed. */
    public static final int MAX_LENGTH = 10_000;

    /** Statement keywords that have no place in a query. */
    private static final Set<String> STATEMENT_WORDS = Set.of("DELETE", "INSERT", "UPDATE", "DROP", "ALTER",
            "CREATE", "TRUNCATE", "GRANT", "REVOKE", "MERGE", "CALL", "LOAD", "HANDLER", "RENAME", "DO", "EXECUTE",
            "PREPARE", "DEALLOCATE", "LOCK", "UNLOCK", "SHUTDOWN", "KILL", "COMMIT", "ROLLBACK", "SAVEPOINT",
            "BACKUP", "SCRIPT", "RUNSCRIPT");

    private ReadOnlySelect() {
    }

    /** Checks {@code sql} where no title table has redacted columns (the events table's still count). */
    public static void check(String sql, Set<String> ownSchemas) {
        check(sql, ownSchemas, RedactedColumns.of(java.util.Map.of()));
    }

    /**
     * Checks {@code sql}.
     *
     * @param ownSchemas the names of gamewire's own database and schema (any case); a table qualified
     *                   with any other name is refused
     * @param redacted   the columns that may only be selected by name
     * @throws SqlRefusedException naming what is refused
     */
    public static void check(String sql, Set<String> ownSchemas, RedactedColumns redacted) {
        if (sql == null || sql.isBlank()) {
            throw new SqlRefusedException("no SQL given: send {\"sql\": \"SELECT …\"}");
        }
        if (sql.length() > MAX_LENGTH) {
            throw new SqlRefusedException("the SQL is " + sql.length() + " characters, more than the " + MAX_LENGTH
                    + " allowed");
        }
        SqlTokens lexed = SqlTokens.of(sql);
        checkTokens(lexed.tokens());
        checkStatement(lexed, ownSchemas, redacted);
    }

    private static void checkTokens(List<Token> tokens) {
        if (tokens.isEmpty()) {
            throw new SqlRefusedException("only comments: there is no statement");
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol(";")) {
                for (int j = i + 1; j < tokens.size(); j++) {
                    if (!tokens.get(j).isSymbol(";")) {
                        throw new SqlRefusedException("more than one statement: '" + tokens.get(j).text()
                                + "' follows ';'; the console runs one SELECT");
                    }
                }
                break;
            }
        }
        Token first = tokens.get(0);
        if (!first.isWord("SELECT") && !first.isWord("WITH") && !first.isSymbol("(")) {
            throw new SqlRefusedException("only SELECT (or WITH … SELECT) is allowed, not " + first.text());
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (token.isSymbol(":=")) {
                throw new SqlRefusedException(":= assigns a variable; the console only reads");
            }
            if (token.kind() != Kind.WORD) {
                continue;
            }
            if (token.isWord("INTO")) {
                throw new SqlRefusedException(into(next));
            }
            if (token.isWord("FOR") && next != null && (next.isWord("UPDATE") || next.isWord("SHARE")
                    || next.isWord("NO") || next.isWord("KEY"))) {
                throw new SqlRefusedException("SELECT … FOR " + next.upper() + " locks rows; the console reads"
                        + " without locking");
            }
            if (token.isWord("LOCK") && next != null && next.isWord("IN")) {
                throw new SqlRefusedException("LOCK IN SHARE MODE locks rows; the console reads without locking");
            }
            if (token.isWord("NEXT") && next != null && next.isWord("VALUE")) {
                throw new SqlRefusedException("NEXT VALUE FOR moves a sequence; the console only reads");
            }
            if (STATEMENT_WORDS.contains(token.upper())) {
                throw new SqlRefusedException(token.upper() + " is refused: the console runs one read-only SELECT");
            }
        }
    }

    private static String into(Token next) {
        String what = next == null ? "" : next.upper();
        if (what.equals("OUTFILE") || what.equals("DUMPFILE")) {
            return "INTO " + what + " writes a file on the database server; the console only reads";
        }
        if (next != null && next.isSymbol("@")) {
            return "INTO @variable sets variables; the console only reads";
        }
        return "SELECT … INTO writes its result somewhere; the console only reads";
    }

    private static void checkStatement(SqlTokens lexed, Set<String> ownSchemas, RedactedColumns redacted) {
        Statements statements;
        try {
            statements = CCJSqlParserUtil.newParser(lexed.withoutComments()).Statements();
        } catch (ParseException | RuntimeException e) {
            throw new SqlRefusedException("not a SELECT the console can check: " + firstLine(e.getMessage()));
        }
        if (statements == null || statements.size() != 1) {
            throw new SqlRefusedException("more than one statement; the console runs one SELECT");
        }
        Statement statement = statements.get(0);
        if (!(statement instanceof Select)) {
            throw new SqlRefusedException("only SELECT (or WITH … SELECT) is allowed, not "
                    + statement.getClass().getSimpleName().toUpperCase(Locale.ROOT));
        }
        Set<String> tables;
        List<PlainSelect> selects = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        try {
            // the finder visits every SELECT of the statement to find its tables: note each on the way,
            // and the functions it passes
            tables = new TablesNamesFinder<Void>() {
                @Override
                public <S> Void visit(PlainSelect select, S context) {
                    selects.add(select);
                    return super.visit(select, context);
                }

                @Override
                public <S> Void visit(Function function, S context) {
                    List<String> name = function.getMultipartName();
                    functions.add(unquote(name.get(name.size() - 1)));
                    return super.visit(function, context);
                }
            }.getTables(statement);
        } catch (RuntimeException e) {
            throw new SqlRefusedException("the tables this SELECT reads cannot be told: " + firstLine(e.getMessage()));
        }
        for (String table : tables) {
            String[] parts = table.split("\\.");
            if (parts.length < 2) {
                continue;
            }
            String schema = unquote(parts[parts.length - 2]);
            boolean own = ownSchemas.stream().anyMatch(name -> name.equalsIgnoreCase(schema));
            if (!own || parts.length > 2 && !ownSchemas.stream().anyMatch(name -> name.equalsIgnoreCase(unquote(parts[0])))) {
                throw new SqlRefusedException("table " + table + " is in schema " + schema + ", not gamewire's own ("
                        + String.join(", ", ownSchemas) + "): information_schema, mysql, performance_schema, sys"
                        + " and other databases are refused");
            }
        }
        checkCalls(lexed.tokens(), withNames((Select) statement), functions);
        RedactedColumnUse.check(statement, lexed.tokens(), tables, selects, redacted);
    }

    /**
     * Refuses any call but of an allowed function: on the tokens, every name directly before
     * {@code (}; in the parse tree, every function, which the tokens must call too (else the two read
     * the text differently, as they did over H2's {@code $$…$$} strings).
     *
     * @param withNames the names a {@code WITH} gives (upper case), which {@code name(columns)} may follow
     */
    private static void checkCalls(List<Token> tokens, Set<String> withNames, List<String> treeFunctions) {
        Set<String> called = new HashSet<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!tokens.get(i + 1).isSymbol("(")) {
                continue;
            }
            if (token.kind() == Kind.QUOTED && !token.text().startsWith("'")) {
                throw new SqlRefusedException("a quoted name before ( is refused (" + token.text() + "(…): the"
                        + " database calls it like the function " + unquote(token.text()).toUpperCase(Locale.ROOT)
                        + "; write function names without quotes");
            }
            if (token.kind() != Kind.WORD || AllowedFunctions.isSyntax(token.upper())
                    || withNames.contains(token.upper())) {
                continue;
            }
            if (!AllowedFunctions.allows(token.upper())) {
                throw new SqlRefusedException(AllowedFunctions.refusal(token.upper()));
            }
            called.add(token.upper());
        }
        for (String function : treeFunctions) {
            String name = function.toUpperCase(Locale.ROOT);
            if (!AllowedFunctions.allows(name)) {
                throw new SqlRefusedException(AllowedFunctions.refusal(name));
            }
            if (!called.contains(name)) {
                throw new SqlRefusedException("the check and the SQL parser read this text differently: the parser"
                        + " sees a call of " + name + " where the check sees none; write it plainly");
            }
        }
    }

    /** The names the statement's {@code WITH} gives its subqueries, upper case. */
    private static Set<String> withNames(Select select) {
        Set<String> names = new HashSet<>();
        if (select.getWithItemsList() != null) {
            for (WithItem<?> item : select.getWithItemsList()) {
                if (item.getAlias() != null) {
                    names.add(unquote(item.getAlias().getName()).toUpperCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static String unquote(String name) {
        return name.length() >= 2 && (name.startsWith("`") || name.startsWith("\"")) ? name.substring(1, name.length() - 1)
                : name;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message).strip();
    }
}

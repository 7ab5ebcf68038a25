package io.gamewire.admin.data;

import io.gamewire.admin.data.SqlTokens.Kind;
import io.gamewire.admin.data.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The check of the admin SQL console: one {@code SELECT} (or {@code WITH … SELECT}) that reads
 * gamewire's own tables and changes nothing. Two passes, each refusing with the reason:
 * <ol>
 *   <li>on the tokens ({@link SqlTokens}: comments dropped, literals opaque), the clauses that
 *       write, lock or run something: a second statement after {@code ;}, {@code INTO} (OUTFILE,
 *       DUMPFILE, {@code @var}, a table), {@code FOR UPDATE}/{@code FOR SHARE},
 *       {@code LOCK IN SHARE MODE}, statement keywords such as {@code DELETE} or {@code DROP},
 *       {@code :=}, and functions that read or write files, sleep or take locks;</li>
 *   <li>on the statement as JSqlParser parses it: exactly one statement, a query, and no table of
 *       another schema (information_schema, mysql, performance_schema, sys or any database other
 *       than gamewire's own);</li>
 *   <li>redacted columns ({@link RedactedColumns}) only selected by name in the outermost SELECT,
 *       where the result masks them, and nowhere else ({@link RedactedColumnUse}).</li>
 * </ol>
 * The database then runs it in a read-only transaction that is rolled back ({@link SqlConsole}):
 * the check is what keeps H2, which has no read-only transaction, from writing.
 */
public final class ReadOnlySelect {

    /** Longer text is refused before it is parsed. */
    public static final int MAX_LENGTH = 10_000;

    /** Statement keywords that have no place in a query. */
    private static final Set<String> STATEMENT_WORDS = Set.of("DELETE", "INSERT", "UPDATE", "DROP", "ALTER",
            "CREATE", "TRUNCATE", "GRANT", "REVOKE", "MERGE", "CALL", "LOAD", "HANDLER", "RENAME", "DO", "EXECUTE",
            "PREPARE", "DEALLOCATE", "LOCK", "UNLOCK", "SHUTDOWN", "KILL", "COMMIT", "ROLLBACK", "SAVEPOINT",
            "BACKUP", "SCRIPT", "RUNSCRIPT");

    /**
     * Functions that read or write files on the database server, wait, take locks or change state
     * (MySQL/MariaDB and H2).
     */
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("LOAD_FILE", "FILE_READ", "FILE_WRITE", "CSVREAD",
            "CSVWRITE", "LINK_SCHEMA", "SLEEP", "BENCHMARK", "GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS",
            "IS_FREE_LOCK", "IS_USED_LOCK", "NEXTVAL", "SETVAL", "NEXT_VALUE", "CANCEL_SESSION", "ABORT_SESSION",
            "SYS_EXEC", "SYS_EVAL", "MASTER_POS_WAIT", "SOURCE_POS_WAIT", "WAIT_FOR_EXECUTED_GTID_SET");

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
            if (next != null && next.isSymbol("(") && REFUSED_FUNCTIONS.contains(token.upper())) {
                throw new SqlRefusedException("the function " + token.upper() + " is refused: it reads or writes"
                        + " files, waits, locks or changes state on the database server");
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
        try {
            // the finder visits every SELECT of the statement to find its tables: note each on the way
            tables = new TablesNamesFinder<Void>() {
                @Override
                public <S> Void visit(PlainSelect select, S context) {
                    selects.add(select);
                    return super.visit(select, context);
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
        RedactedColumnUse.check(statement, lexed.tokens(), tables, selects, redacted);
    }

    private static String unquote(String name) {
        return name.length() >= 2 && (name.startsWith("`") || name.startsWith("\"")) ? name.substring(1, name.length() - 1)
                : name;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message).strip();
    }
}

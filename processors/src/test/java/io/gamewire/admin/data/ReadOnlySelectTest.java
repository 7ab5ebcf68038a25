package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin console's SQL check: what it refuses (with the reason) and what it lets through. */
class ReadOnlySelectTest {

    /** gamewire's database on MySQL, its schema on H2. */
    private static final Set<String> OWN = Set.of("gamewire", "PUBLIC");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DELETE FROM events                                          | only SELECT (or WITH … SELECT) is allowed, not DELETE",
        "SELECT 1; DROP TABLE events                                 | more than one statement: 'DROP' follows ';'",
        "SELECT * FROM events; DELETE FROM events                    | more than one statement: 'DELETE' follows ';'",
        "SELECT * FROM events FOR UPDATE                             | SELECT … FOR UPDATE locks rows",
        "SELECT * FROM events FOR SHARE                              | SELECT … FOR SHARE locks rows",
        "SELECT * FROM events LOCK IN SHARE MODE                     | LOCK IN SHARE MODE locks rows",
        "SELECT * FROM events INTO OUTFILE '/tmp/x'                  | INTO OUTFILE writes a file on the database server",
        "SELECT payload FROM events INTO DUMPFILE '/tmp/x'           | INTO DUMPFILE writes a file on the database server",
        "SELECT routing_key INTO @k FROM events                      | INTO @variable sets variables",
        "SELECT * INTO copy FROM events                              | SELECT … INTO writes its result somewhere",
        "SELECT * FROM information_schema.tables                     | table information_schema.tables is in schema information_schema",
        "SELECT * FROM mysql.user                                    | table mysql.user is in schema mysql",
        "SELECT * FROM performance_schema.threads                    | is in schema performance_schema",
        "SELECT * FROM sys.session                                   | is in schema sys",
        "SELECT * FROM other_db.events                               | table other_db.events is in schema other_db",
        "SELECT * FROM events WHERE x IN (SELECT user FROM mysql.user) | table mysql.user is in schema mysql",
        "SELECT LOAD_FILE('/etc/passwd')                             | the function LOAD_FILE is not allowed",
        "SELECT FILE_WRITE('x', '/tmp/x')                            | the function FILE_WRITE is not allowed",
        "SELECT SLEEP(100)                                           | the function SLEEP is not allowed",
        // a quoted name before ( is called like the function (H2 and MySQL alike)
        "SELECT `FILE_READ`('/etc/passwd', NULL)                     | a quoted name before ( is refused (`FILE_READ`(…): the database calls it like the function FILE_READ",
        "SELECT \"FILE_WRITE\"('x', '/tmp/y')                          | a quoted name before ( is refused (\"FILE_WRITE\"(…)",
        "SELECT `CSVWRITE`('/tmp/y', 'SELECT 1')                     | a quoted name before ( is refused",
        "SELECT `LINK_SCHEMA`('x', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC') | a quoted name before ( is refused",
        "SELECT `LOAD_FILE`('/etc/passwd')                           | a quoted name before ( is refused",
        "SELECT PUBLIC.`FILE_READ`('/etc/passwd', NULL)              | a quoted name before ( is refused",
        // anything not on the allow-list, wherever it is called (ORDER BY is not walked by the parser's visitor)
        "SELECT CSVWRITE('/tmp/y', 'SELECT 1')                       | the function CSVWRITE is not allowed",
        "SELECT * FROM CSVREAD('/etc/passwd')                        | the function CSVREAD is not allowed",
        "SELECT LINK_SCHEMA('x', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC') | the function LINK_SCHEMA is not allowed",
        "SELECT PUBLIC.FILE_READ('/etc/passwd', NULL)                | the function FILE_READ is not allowed",
        "SELECT message_id FROM events ORDER BY FILE_WRITE('x', '/tmp/y') | the function FILE_WRITE is not allowed",
        "SELECT FILE_READ /* gap */ ('/etc/passwd', NULL)            | the function FILE_READ is not allowed",
        "SELECT GET_LOCK('x', 10)                                    | the function GET_LOCK is not allowed",
        "SELECT NEXT VALUE FOR s                                     | NEXT VALUE FOR moves a sequence",
        // H2's dollar-quoted strings: one literal to a tokenizer that does not know them, a call to H2
        "SELECT $$'$$, FILE_WRITE($$x$$,$$/tmp/y$$), $$'$$           | a $ outside quotes (in '$$' at character 8) is refused",
        "SELECT 1$$'$$, FILE_WRITE('x', '/tmp/y'), 1$$'$$            | a $ outside quotes (in '1$$' at character 8) is refused",
        "SELECT $1                                                   | a $ outside quotes",
        "SELECT @a := 1                                              | := assigns a variable",
        "WITH d AS (DELETE FROM events RETURNING *) SELECT * FROM d  | DELETE is refused",
        "UPDATE events SET payload = ''                              | only SELECT (or WITH … SELECT) is allowed, not UPDATE",
        "SHOW TABLES                                                 | only SELECT (or WITH … SELECT) is allowed, not SHOW",
        "/*! DROP TABLE events */ SELECT 1                           | executable comments /*! … */ are refused",
        "SELECT 'it\\'s' FROM events                                  | a backslash in the quoted text at character 8 is refused",
        "SELECT 1 --1 INTO OUTFILE '/tmp/x'                          | INTO OUTFILE writes a file",
        "SELECT * FROM events /* never closed                        | a comment /* is never closed",
        "SELECT 'open                                                | the quote ' at character 8 is never closed",
        "-- only a comment                                           | only comments: there is no statement",
        "SELECT * FROM events # DELETE                               | DELETE is refused",
    })
    void refusesWithTheReason(String sql, String reason) {
        assertThatThrownBy(() -> ReadOnlySelect.check(sql.strip(), OWN)).isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining(reason.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM events",
        "select routing_key, count(*) from events group by routing_key order by 2 desc limit 10",
        "WITH recent AS (SELECT message_id FROM events WHERE received_at_ms > 0) SELECT message_id FROM recent",
        "SELECT * FROM gamewire.events",
        "SELECT * FROM PUBLIC.events",
        "SELECT * FROM `events` WHERE `routing_key` LIKE 'halo.%'",
        // keywords inside literals and comments are data, not SQL
        "SELECT '; DROP TABLE events' AS text FROM events",
        "SELECT 'INTO OUTFILE' AS a, 'FOR UPDATE' AS b FROM events",
        "SELECT * FROM events -- ; DROP TABLE events\n WHERE 1 = 1",
        "SELECT * FROM events /* DELETE FROM events; */ WHERE 1 = 1",
        "SELECT 1;",
        "SELECT a.player FROM t1_scores a JOIN events e ON e.message_id = a.gw_message_id",
        "SELECT * FROM t1_scores UNION SELECT * FROM t2_scores",
        "SELECT REPLACE(routing_key, '.', '/') FROM events",
        // the allowed functions and the syntax an opening parenthesis may follow
        "SELECT CAST(received_at_ms AS DECIMAL(20, 2)), COALESCE(content_type, 'none'), IFNULL(NULL, 1) FROM events",
        "SELECT routing_key, COUNT(*) OVER (PARTITION BY routing_key) AS n FROM events",
        "SELECT CASE WHEN LENGTH(routing_key) > 3 THEN UPPER(routing_key) ELSE LOWER(routing_key) END FROM events",
        "WITH RECURSIVE w(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM w WHERE n < 3) SELECT n FROM w",
        "SELECT message_id FROM events WHERE routing_key IN ('a', 'b') AND NOT (received_at_ms < 0)",
        "SELECT JSON_EXTRACT('{\"a\": 1}', '$.a'), DATE_FORMAT(FROM_UNIXTIME(received_at_ms / 1000), '%Y') FROM events",
        "SELECT message_id FROM events ORDER BY UPPER(routing_key)",
        "SELECT 'FILE_READ(x)' AS text, `routing_key` FROM events",
    })
    void letsReadOnlySelectsThrough(String sql) {
        assertThatCode(() -> ReadOnlySelect.check(sql, OWN)).doesNotThrowAnyException();
    }

    /** Title table t1_regs whose column email a sink fills from a redact: true field. */
    private static final RedactedColumns REDACTED = RedactedColumns.of(Map.of("t1_regs",
            Map.of("email", "holds $.email of t1's command accounts.registered, which its schema marks redact: true")));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT UPPER(email) FROM t1_regs                                | column t1_regs.email holds $.email of t1's command accounts.registered",
        "SELECT CONCAT(email, '') AS copy FROM t1_regs                   | column t1_regs.email",
        "SELECT COUNT(DISTINCT `email`) FROM t1_regs                     | column t1_regs.email",
        "SELECT (SELECT email FROM t1_regs LIMIT 1) AS x FROM t1_scores  | column t1_regs.email",
        "SELECT player FROM t1_regs WHERE email LIKE 'a%'                | it may only be selected by name",
        "SELECT player FROM t1_regs r JOIN t1_scores s ON s.player = r.email | column t1_regs.email",
        "SELECT player FROM t1_regs ORDER BY email                       | column t1_regs.email",
        "SELECT player FROM t1_scores UNION SELECT email FROM t1_regs    | column t1_regs.email",
        "SELECT email FROM (SELECT email FROM t1_regs) t                 | column t1_regs.email",
        "WITH w AS (SELECT email AS m FROM t1_regs) SELECT m FROM w      | column t1_regs.email",
        "SELECT email AS e FROM t1_regs ORDER BY e                       | (selected as e)",
        "SELECT * FROM (SELECT * FROM t1_regs) t                         | * in a subquery, WITH or UNION over t1_regs",
        "SELECT * FROM t1_scores UNION SELECT * FROM t1_regs             | * in a subquery, WITH or UNION over t1_regs",
        "WITH recent AS (SELECT * FROM events) SELECT message_id FROM recent | * in a subquery, WITH or UNION over events",
        "SELECT DISTINCT email FROM t1_regs                              | DISTINCT compares the values of redacted columns",
        "SELECT player, email FROM t1_regs ORDER BY 2                    | ORDER BY or GROUP BY by position",
        "SELECT * FROM t1_regs GROUP BY 1, 2                             | ORDER BY or GROUP BY by position",
        "SELECT CAST(payload AS CHAR) FROM events                        | column events.payload holds every event's payload",
        "SELECT message_id FROM events WHERE attributes LIKE '%key%'     | column events.attributes holds the events' attributes",
    })
    void refusesAnyUseOfARedactedColumnButSelectingItByName(String sql, String reason) {
        assertThatThrownBy(() -> ReadOnlySelect.check(sql.strip(), OWN, REDACTED)).isInstanceOf(SqlRefusedException.class)
                .hasMessageContaining(reason.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT email FROM t1_regs",
        "SELECT r.email AS e, player FROM t1_regs r WHERE player = 'dee' ORDER BY player",
        "SELECT * FROM t1_regs",
        "SELECT t1_regs.* FROM t1_regs ORDER BY player",
        "SELECT payload, routing_key, attributes FROM events",
        "SELECT player FROM t1_regs WHERE player IN (SELECT player FROM t1_scores)",
        "SELECT COUNT(*) FROM events WHERE EXISTS (SELECT * FROM t1_scores)",
        "SELECT 'email' AS what, player FROM t1_regs",
        "SELECT * FROM t1_scores UNION SELECT * FROM t2_scores",
    })
    void letsRedactedColumnsBeSelectedByName(String sql) {
        assertThatCode(() -> ReadOnlySelect.check(sql, OWN, REDACTED)).doesNotThrowAnyException();
    }
}

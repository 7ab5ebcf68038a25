package io.gamewire.admin.data;

import java.util.Locale;
import java.util.Set;

/**
 * The functions the SQL console ({@link ReadOnlySelect}) lets a query call: only ones that compute on
 * the values they are given, on MySQL/MariaDB and on H2. An allow-list, because both databases have
 * functions that read or write files on the server ({@code LOAD_FILE}, {@code FILE_READ},
 * {@code FILE_WRITE}, {@code CSVWRITE}), link other databases ({@code LINK_SCHEMA}), wait
 * ({@code SLEEP}, {@code BENCHMARK}), take locks ({@code GET_LOCK}) or move sequences, and each new
 * version may add more: anything not named here is refused by name.
 */
final class AllowedFunctions {

    /** Aggregates, window functions, CASE-like, conversion, string, hashing, number, date/time, JSON. */
    private static final Set<String> FUNCTIONS = Set.of(
            // aggregates and window functions
            "COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "LISTAGG", "STRING_AGG", "ARRAY_AGG", "BIT_AND",
            "BIT_OR", "BIT_XOR", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP",
            "ANY_VALUE", "EVERY", "BOOL_AND", "BOOL_OR", "MEDIAN", "PERCENTILE_CONT", "PERCENTILE_DISC", "MODE",
            "JSON_ARRAYAGG", "JSON_OBJECTAGG", "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST",
            "NTILE", "LAG", "LEAD", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "RATIO_TO_REPORT",
            // CASE-like and conversion
            "COALESCE", "IFNULL", "NULLIF", "IF", "NVL", "NVL2", "CASEWHEN", "ISNULL", "GREATEST", "LEAST", "DECODE",
            "CAST", "CONVERT", "BIN", "HEX", "UNHEX", "CONV",
            // strings
            "CONCAT", "CONCAT_WS", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "OCTET_LENGTH", "BIT_LENGTH", "LOWER",
            "UPPER", "LCASE", "UCASE", "LEFT", "RIGHT", "LPAD", "RPAD", "LTRIM", "RTRIM", "TRIM", "BTRIM", "SUBSTRING",
            "SUBSTR", "SUBSTRING_INDEX", "MID", "REPLACE", "REVERSE", "REPEAT", "SPACE", "LOCATE", "POSITION", "INSTR",
            "FIELD", "FIND_IN_SET", "ELT", "ASCII", "ORD", "CHAR", "CHR", "FORMAT", "STRCMP", "SOUNDEX", "DIFFERENCE",
            "REGEXP_LIKE", "REGEXP_REPLACE", "REGEXP_SUBSTR", "REGEXP_INSTR", "QUOTE", "TO_BASE64", "FROM_BASE64",
            "TRANSLATE", "INITCAP", "STRINGENCODE", "STRINGDECODE", "STRINGTOUTF8", "UTF8TOSTRING",
            // hashes and identifiers
            "MD5", "SHA", "SHA1", "SHA2", "CRC32", "HASH", "UUID", "RANDOM_UUID", "BIN_TO_UUID", "UUID_TO_BIN",
            // numbers
            "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNC", "MOD", "POW", "POWER", "SQRT", "EXP", "LN", "LOG",
            "LOG2", "LOG10", "SIGN", "PI", "RAND", "RANDOM", "SIN", "COS", "TAN", "COT", "ASIN", "ACOS", "ATAN",
            "ATAN2", "DEGREES", "RADIANS", "BITAND", "BITOR", "BITXOR", "BITNOT",
            // dates and times
            "NOW", "CURDATE", "CURTIME", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
            "LOCALTIMESTAMP", "SYSDATE", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "DATE", "TIME", "TIMESTAMP",
            "DATETIME", "YEAR", "MONTH", "DAY", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "DAY_OF_MONTH", "DAY_OF_WEEK",
            "DAY_OF_YEAR", "WEEK", "WEEKDAY", "WEEKOFYEAR", "YEARWEEK", "ISO_WEEK", "ISO_YEAR", "ISO_DAY_OF_WEEK",
            "QUARTER", "HOUR", "MINUTE", "SECOND", "MICROSECOND", "DAYNAME", "MONTHNAME", "DATE_ADD", "DATE_SUB",
            "ADDDATE", "SUBDATE", "ADDTIME", "SUBTIME", "DATEDIFF", "TIMEDIFF", "TIMESTAMPDIFF", "TIMESTAMPADD",
            "DATEADD", "DATE_TRUNC", "DATE_FORMAT", "TIME_FORMAT", "STR_TO_DATE", "FROM_UNIXTIME", "UNIX_TIMESTAMP",
            "FROM_DAYS", "TO_DAYS", "TO_SECONDS", "SEC_TO_TIME", "TIME_TO_SEC", "MAKEDATE", "MAKETIME", "LAST_DAY",
            "EXTRACT", "FORMATDATETIME", "PARSEDATETIME", "TO_CHAR", "TO_DATE", "TO_TIMESTAMP",
            // JSON (each answers a new value; none changes what is stored)
            "JSON_EXTRACT", "JSON_UNQUOTE", "JSON_VALUE", "JSON_QUERY", "JSON_OBJECT", "JSON_ARRAY", "JSON_CONTAINS",
            "JSON_CONTAINS_PATH", "JSON_KEYS", "JSON_LENGTH", "JSON_TYPE", "JSON_VALID", "JSON_SEARCH", "JSON_DEPTH",
            "JSON_PRETTY", "JSON_QUOTE", "JSON_OVERLAPS", "JSON_MERGE_PATCH", "JSON_MERGE_PRESERVE", "JSON_SET",
            "JSON_INSERT", "JSON_REPLACE", "JSON_REMOVE", "JSON_ARRAY_APPEND", "JSON_ARRAY_INSERT");

    /**
     * Words of the SELECT syntax itself that an opening parenthesis may follow ({@code IN (…)},
     * {@code OVER (…)}, {@code AS (…)} of a WITH, type lengths in {@code CAST(x AS DECIMAL(10, 2))}).
     */
    private static final Set<String> SYNTAX = Set.of("SELECT", "FROM", "JOIN", "WHERE", "AND", "OR", "NOT", "XOR", "IN",
            "EXISTS", "ANY", "ALL", "SOME", "AS", "ON", "USING", "OVER", "BY", "GROUP", "HAVING", "WHEN", "THEN", "ELSE",
            "CASE", "IS", "LIKE", "BETWEEN", "REGEXP", "RLIKE", "UNION", "EXCEPT", "INTERSECT", "MINUS", "DISTINCT",
            "LIMIT", "OFFSET", "FILTER", "ROW", "INTERVAL", "ESCAPE", "LATERAL", "DIV", "MATCH", "AGAINST", "WITH",
            "RECURSIVE", "VARCHAR", "CHARACTER", "NCHAR", "NVARCHAR", "DECIMAL", "DEC", "NUMERIC", "FLOAT", "DOUBLE",
            "REAL", "BINARY", "VARBINARY", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "SIGNED", "UNSIGNED");

    private AllowedFunctions() {
    }

    /** Whether {@code name} (any case, unquoted) is a function a query may call. */
    static boolean allows(String name) {
        return FUNCTIONS.contains(name.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code word} (upper case) may stand before {@code (} as syntax, not as a call. */
    static boolean isSyntax(String word) {
        return SYNTAX.contains(word);
    }

    /** Why {@code name} is refused. */
    static String refusal(String name) {
        return "the function " + name.toUpperCase(Locale.ROOT) + " is not allowed: the console calls only functions"
                + " that compute on values (aggregates, window functions, CASE/COALESCE/IFNULL, CAST, string, number,"
                + " date and time, JSON), never ones that read or write files, wait, lock or change state";
    }
}

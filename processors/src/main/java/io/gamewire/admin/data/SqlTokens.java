package io.gamewire.admin.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens the way MySQL/MariaDB and H2 both read it, so that the read-only
 * check ({@link ReadOnlySelect}) looks at what the database would execute: comments are dropped,
 * string literals and quoted names are single tokens whose content is never taken for keywords.
 * Where the two databases read the text differently, it is refused rather than guessed:
 * <ul>
 *   <li>a backslash in a quoted string or name (MySQL reads it as an escape, H2 does not, so the
 *       two would see a literal end in different places);</li>
 *   <li>MySQL's executable comments {@code /*! … *}{@code /}, which MySQL runs and H2 skips;</li>
 *   <li>{@code #}: a comment to the end of the line in MySQL only; here it is a symbol, which the
 *       parser then refuses;</li>
 *   <li>{@code --} starts a comment only when followed by white space or the end (MySQL's rule);
 *       otherwise it is two minus signs and everything after it is checked.</li>
 *   <li>{@code $} outside quotes: H2 reads {@code $$} as the start of a string ({@code $$…$$}, so
 *       {@code $$'$$, FILE_WRITE(…), $$'$$} is two strings around a call there) and {@code $1} as a
 *       parameter, while MySQL reads {@code $} as part of a name. gamewire's tables and columns have
 *       no {@code $} in their names.</li>
 * </ul>
 * Where H2 sees less code than this (its nested block comments, {@code //} line comments), the
 * check only looks at more than runs.
 */
final class SqlTokens {

    /** A word (keyword or unquoted name, upper-cased in {@code upper}), a quoted literal or name, or a symbol. */
    record Token(Kind kind, String text, String upper) {
        boolean isWord(String word) {
            return kind == Kind.WORD && upper.equals(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    enum Kind {
        WORD, QUOTED, SYMBOL
    }

    private final List<Token> tokens = new ArrayList<>();
    /** The text with every comment replaced by a space, for the parser. */
    private final StringBuilder withoutComments = new StringBuilder();

    private SqlTokens() {
    }

    /**
     * @throws SqlRefusedException for text the two databases would read differently, or an
     *         unterminated literal or comment
     */
    static SqlTokens of(String sql) {
        SqlTokens lexed = new SqlTokens();
        lexed.read(sql);
        return lexed;
    }

    List<Token> tokens() {
        return tokens;
    }

    String withoutComments() {
        return withoutComments.toString();
    }

    private void read(String sql) {
        int at = 0;
        int length = sql.length();
        while (at < length) {
            char c = sql.charAt(at);
            if (Character.isWhitespace(c)) {
                withoutComments.append(c);
                at++;
            } else if (c == '-' && at + 1 < length && sql.charAt(at + 1) == '-'
                    && (at + 2 == length || Character.isWhitespace(sql.charAt(at + 2)))) {
                int end = sql.indexOf('\n', at);
                at = end < 0 ? length : end;
                withoutComments.append(' ');
            } else if (c == '/' && at + 1 < length && sql.charAt(at + 1) == '*') {
                if (at + 2 < length && sql.charAt(at + 2) == '!') {
                    throw new SqlRefusedException("executable comments /*! … */ are refused: MySQL runs what is in"
                            + " them");
                }
                int end = sql.indexOf("*/", at + 2);
                if (end < 0) {
                    throw new SqlRefusedException("a comment /* is never closed");
                }
                at = end + 2;
                withoutComments.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                at = quoted(sql, at, c);
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int start = at;
                while (at < length && (Character.isLetterOrDigit(sql.charAt(at)) || sql.charAt(at) == '_'
                        || sql.charAt(at) == '$')) {
                    at++;
                }
                String word = sql.substring(start, at);
                if (word.indexOf('$') >= 0) {
                    throw new SqlRefusedException("a $ outside quotes (in '" + word + "' at character " + (start + 1)
                            + ") is refused: H2 reads $$ as the start of a string ($$…$$) and MySQL as part of a name");
                }
                tokens.add(new Token(Kind.WORD, word, word.toUpperCase(Locale.ROOT)));
                withoutComments.append(word);
            } else {
                String symbol = c == ':' && at + 1 < length && sql.charAt(at + 1) == '=' ? ":=" : String.valueOf(c);
                tokens.add(new Token(Kind.SYMBOL, symbol, symbol));
                withoutComments.append(symbol);
                at += symbol.length();
            }
        }
    }

    /** A literal or quoted name from {@code start} (its opening quote); a doubled quote stands for itself. */
    private int quoted(String sql, int start, char quote) {
        int at = start + 1;
        while (true) {
            int end = sql.indexOf(quote, at);
            if (end < 0) {
                throw new SqlRefusedException("the quote " + quote + " at character " + (start + 1) + " is never closed");
            }
            if (end + 1 < sql.length() && sql.charAt(end + 1) == quote) {
                at = end + 2;
                continue;
            }
            String text = sql.substring(start, end + 1);
            if (text.indexOf('\\') >= 0) {
                throw new SqlRefusedException("a backslash in the quoted text at character " + (start + 1) + " is"
                        + " refused: MySQL reads it as an escape and H2 does not");
            }
            tokens.add(new Token(Kind.QUOTED, text, text));
            withoutComments.append(text);
            return end + 1;
        }
    }
}

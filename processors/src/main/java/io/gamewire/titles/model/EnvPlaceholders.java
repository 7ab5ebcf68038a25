package io.gamewire.titles.model;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {env:NAME}} placeholders of title files (pull URLs and header values), in one place:
 * what one looks like, which variable a text lacks, and the text with the values put in. NAME is
 * an environment variable of {@code [A-Z][A-Z0-9_]}, 128 characters at most.
 */
public final class EnvPlaceholders {

    /** A variable's name. */
    public static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
    /** One placeholder; group 1 is the variable's name. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{env:(" + NAME.pattern() + ")}");

    /** A variable a text names that is unset or empty. */
    public static final class MissingVariableException extends Exception {
        private final String variable;

        MissingVariableException(String variable) {
            super("environment variable " + variable + " is not set");
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }

    private EnvPlaceholders() {
    }

    /** The first variable {@code text} names that {@code environment} lacks (unset or empty). */
    public static Optional<String> missing(String text, Function<String, String> environment) {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        while (placeholders.find()) {
            String value = environment.apply(placeholders.group(1));
            if (value == null || value.isEmpty()) {
                return Optional.of(placeholders.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code text} with each placeholder replaced by its variable's value; {@code resolved} sees
     * each value put in (to keep secrets out of logs).
     *
     * @throws MissingVariableException naming the first variable that is unset or empty
     */
    public static String resolve(String text, Function<String, String> environment, Consumer<String> resolved)
            throws MissingVariableException {
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholders.find()) {
            String value = environment.apply(placeholders.group(1));
            if (value == null || value.isEmpty()) {
                throw new MissingVariableException(placeholders.group(1));
            }
            resolved.accept(value);
            placeholders.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(out);
        return out.toString();
    }
}

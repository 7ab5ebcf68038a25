package io.gamewire.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Options given as {@code --name value} or {@code --name=value}. Each getter takes the option it
 * reads, so that {@link #requireNoneLeft()} can refuse a misspelt option instead of silently running
 * with a default.
 */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    static Args parse(List<String> tokens) throws UsageException {
        Args args = new Args();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("--") || token.length() == 2) {
                throw new UsageException("unexpected argument '" + token + "'; options are --name value");
            }
            String name;
            String value;
            int equals = token.indexOf('=');
            if (equals > 0) {
                name = token.substring(2, equals);
                value = token.substring(equals + 1);
            } else if (i + 1 < tokens.size()) {
                name = token.substring(2);
                value = tokens.get(++i);
            } else {
                throw new UsageException("option " + token + " needs a value");
            }
            if (args.values.put(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return args;
    }

    String text(String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    int integer(String name, int fallback, int min, int max) throws UsageException {
        String value = values.remove(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.replace("_", ""));
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw new UsageException("--" + name + " must be a whole number from " + min + " to " + max + ", was '"
                + value + "'");
    }

    /** A comma-separated list of whole numbers, each from min to max, e.g. {@code --port 7401,7402}. */
    List<Integer> integers(String name, int fallback, int min, int max) throws UsageException {
        String value = values.remove(name);
        if (value == null) {
            return List.of(fallback);
        }
        List<Integer> numbers = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            try {
                int number = Integer.parseInt(part.strip().replace("_", ""));
                if (number >= min && number <= max) {
                    numbers.add(number);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below, with the allowed range
            }
            throw new UsageException("--" + name + " must be whole numbers from " + min + " to " + max
                    + ", separated by commas, was '" + value + "'");
        }
        return List.copyOf(numbers);
    }

    double decimal(String name, double fallback, double min) throws UsageException {
        String value = values.remove(name);
        if (value == null) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.replace("_", ""));
            if (number >= min && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a number of at least " + min + ", was '" + value + "'");
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or a plain number of seconds. */
    Duration duration(String name, Duration fallback, Duration min) throws UsageException {
        String value = values.remove(name);
        if (value == null) {
            return fallback;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.compareTo(min) < 0) {
            throw new UsageException("--" + name + " must be a duration such as 500ms, 30s or 2m of at least "
                    + min.toMillis() + " ms, was '" + value + "'");
        }
        return parsed;
    }

    private static Duration parseDuration(String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            String seconds = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void requireNoneLeft() throws UsageException {
        if (!values.isEmpty()) {
            throw new UsageException("unknown option" + (values.size() > 1 ? "s " : " ")
                    + String.join(", ", values.keySet().stream().sorted().map(n -> "--" + n).toList())
                    + " for this mode");
        }
    }
}

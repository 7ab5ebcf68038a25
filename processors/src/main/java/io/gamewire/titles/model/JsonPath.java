package io.gamewire.titles.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into a JSON payload: {@code $.player.id}, {@code $.scores[0]}. The small subset sinks
 * need: field names and array indices, no wildcards or filters. {@code $} alone is the whole
 * value ({@link #isRoot()}); sinks refuse it, a pull's {@code emit.payload} takes it.
 *
 * @param steps field names (String) and array indices (Integer), in order
 */
public record JsonPath(String text, List<Object> steps) {

    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[(\\d{1,6})]");

    /** Parses {@code $.a.b[0]} or {@code $}; empty when the text is not such a path. */
    public static Optional<JsonPath> parse(String text) {
        if (!text.startsWith("$")) {
            return Optional.empty();
        }
        List<Object> steps = new ArrayList<>();
        Matcher matcher = STEP.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return Optional.empty();
            }
            steps.add(matcher.group(1) != null ? matcher.group(1) : Integer.valueOf(matcher.group(2)));
            at = matcher.end();
        }
        return Optional.of(new JsonPath(text, List.copyOf(steps)));
    }

    /** The value at this path in {@code root}, or null when some step is missing. */
    public com.fasterxml.jackson.databind.JsonNode read(com.fasterxml.jackson.databind.JsonNode root) {
        com.fasterxml.jackson.databind.JsonNode at = root;
        for (Object step : steps) {
            if (at == null) {
                return null;
            }
            at = step instanceof String name ? at.get(name) : at.get((Integer) step);
        }
        return at == null || at.isNull() || at.isMissingNode() ? null : at;
    }

    /** The first field name: the top-level payload field the path starts from; null for {@code $} or {@code $[0]}. */
    public String topField() {
        return !steps.isEmpty() && steps.get(0) instanceof String name ? name : null;
    }

    /** {@code $}: the whole value. */
    public boolean isRoot() {
        return steps.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}

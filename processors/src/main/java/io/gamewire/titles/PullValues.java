package io.gamewire.titles;

import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.yaml.YamlNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The kinds of value that several parts of a pull take, each read and reported the same way
 * wherever it stands.
 */
final class PullValues {

    private PullValues() {
    }

    /** A duration ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}) from {@code min} to {@code max}. */
    static Optional<Duration> duration(YamlNode node, String min, String max) {
        Duration low = TitleFileParser.duration(min).orElseThrow();
        Duration high = TitleFileParser.duration(max).orElseThrow();
        return TitleFileParser.duration(node, "is not a duration such as 30s, 10m, 2h or 1d",
                duration -> duration.compareTo(low) >= 0 && duration.compareTo(high) <= 0,
                text -> "'" + text + "' must be from " + min + " to " + max);
    }

    static Optional<Boolean> bool(YamlNode node) {
        return node.text(Pattern.compile("true|false"), "must be true or false").map(Boolean::valueOf);
    }

    /**
     * A JSON path into an item or a response body (the publisher's shape, so not checked against a
     * schema); {@code $} alone only where {@code root} allows it.
     */
    static Optional<JsonPath> path(YamlNode node, String example, boolean root) {
        return node.text().flatMap(text -> {
            Optional<JsonPath> path = JsonPath.parse(text);
            if (path.isPresent() && path.get().isRoot() && !root) {
                node.problem("'$' is the whole value; name the field of " + example);
                return Optional.empty();
            }
            if (path.isEmpty()) {
                node.problem("'" + text + "' is not a JSON path of " + example);
            }
            return path;
        });
    }
}

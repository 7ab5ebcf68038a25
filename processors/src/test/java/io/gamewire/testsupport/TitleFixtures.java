package io.gamewire.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Title files the tests share, read from {@code titles/<name>.yaml} on the test class path: the
 * test resources of processors (in its test-jar, for routes and test too) or of the test's own module.
 *
 * <p>A fixture may start with {@code #} lines that say what it is for; they are not part of the
 * title, so line numbers in a problem count from its first line of YAML. {@code ${name}} stands for a
 * value the test gives; a placeholder alone on its line takes a value of several lines, each indented
 * as the placeholder is. A placeholder without a value, or a value without a placeholder, is an error.
 */
public final class TitleFixtures {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9-]+)}");
    private static final Pattern PLACEHOLDER_LINE = Pattern.compile("( *)\\$\\{([A-Za-z0-9-]+)}");

    private TitleFixtures() {
    }

    /** Fixture {@code name}, which has no placeholders. */
    public static String read(String name) {
        return read(name, Map.of());
    }

    /** Fixture {@code name} with each {@code ${key}} replaced by its value. */
    public static String read(String name, Map<String, String> values) {
        String resource = "titles/" + name + ".yaml";
        List<String> lines = load(resource).lines().dropWhile(line -> line.startsWith("#")).toList();
        Set<String> used = new HashSet<>();
        StringBuilder title = new StringBuilder();
        for (String line : lines) {
            Matcher whole = PLACEHOLDER_LINE.matcher(line);
            if (whole.matches()) {
                value(resource, values, whole.group(2), used).lines()
                        .forEach(valueLine -> title.append(whole.group(1)).append(valueLine).append('\n'));
            } else {
                title.append(PLACEHOLDER.matcher(line).replaceAll(placeholder -> Matcher.quoteReplacement(
                        value(resource, values, placeholder.group(1), used)))).append('\n');
            }
        }
        if (!used.containsAll(values.keySet())) {
            Set<String> unused = new HashSet<>(values.keySet());
            unused.removeAll(used);
            throw new IllegalArgumentException(resource + " has no placeholder for " + unused);
        }
        return title.toString();
    }

    private static String value(String resource, Map<String, String> values, String key, Set<String> used) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(resource + " needs a value for ${" + key + "}");
        }
        used.add(key);
        return value;
    }

    private static String load(String resource) {
        try (InputStream in = TitleFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no title fixture " + resource + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

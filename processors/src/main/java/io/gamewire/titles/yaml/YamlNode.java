package io.gamewire.titles.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A node of a {@link YamlDocument} with its field path ({@code services.stats.commands.end}). The
 * accessors never throw: a wrong shape is reported as a {@link Problem} at the node's position and
 * the accessor answers empty, so binding goes on and every problem of a file is found in one pass.
 */
public final class YamlNode {

    private final YamlDocument document;
    private final Node node;
    private final Node keyNode;
    private final String path;

    YamlNode(YamlDocument document, Node node, String path) {
        this(document, node, null, path);
    }

    private YamlNode(YamlDocument document, Node node, Node keyNode, String path) {
        this.document = document;
        this.node = node;
        this.keyNode = keyNode;
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Reports a problem at this node. */
    public void problem(String message) {
        document.report(node, path, message);
    }

    /** Reports a problem at this node's key (for a field that should not be there at all). */
    public void keyProblem(String message) {
        document.report(keyNode != null ? keyNode : node, path, message);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * The fields of a mapping, in file order, after checking that every key is one of
     * {@code allowed} (no silent typos), no key repeats and every key in {@code required} is there.
     */
    public Map<String, YamlNode> fields(Set<String> allowed, Set<String> required) {
        Map<String, YamlNode> fields = entries();
        for (Map.Entry<String, YamlNode> field : fields.entrySet()) {
            if (!allowed.contains(field.getKey())) {
                field.getValue().keyProblem("unknown field '" + field.getKey() + "'; allowed here: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        if (node instanceof MappingNode) {
            for (String name : required) {
                if (!fields.containsKey(name)) {
                    keyProblem("missing required field '" + name + "'");
                }
            }
        }
        return fields;
    }

    /** The entries of a mapping whose keys are names the user chooses (services, commands, columns). */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problem("expected a mapping (name: value lines), found " + kind());
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                document.report(tuple.getKeyNode(), path, "a key must be a plain name, not " + kind(tuple.getKeyNode()));
                continue;
            }
            YamlNode value = new YamlNode(document, tuple.getValueNode(), key, child(key.getValue()));
            if (entries.put(key.getValue(), value) != null) {
                document.report(key, child(key.getValue()), "'" + key.getValue() + "' appears twice");
            }
        }
        return entries;
    }

    /** The items of a sequence, each with path {@code name[i]}. */
    public List<YamlNode> items() {
        List<YamlNode> items = new ArrayList<>();
        if (!(node instanceof SequenceNode sequence)) {
            problem("expected a list, found " + kind());
            return items;
        }
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new YamlNode(document, values.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    /** A scalar's text; empty (and reported) for a mapping or list. */
    public Optional<String> text() {
        if (node instanceof ScalarNode scalar) {
            return Optional.of(scalar.getValue());
        }
        problem("expected a single value, found " + kind());
        return Optional.empty();
    }

    /** A scalar matching {@code pattern}; otherwise reported with {@code rule}. */
    public Optional<String> text(Pattern pattern, String rule) {
        return text().filter(value -> {
            if (pattern.matcher(value).matches()) {
                return true;
            }
            problem("'" + value + "' " + rule);
            return false;
        });
    }

    /**
     * A scalar matching {@code pattern}, reported with {@code rule} but without the value: for fields
     * where a mistake may put a secret (an API key pasted where its SHA-256 belongs), since problems
     * are logged, printed by {@code gamewire validate} and answered by {@code GET /v1/admin/titles}.
     */
    public Optional<String> secretText(Pattern pattern, String rule) {
        return text().filter(value -> {
            if (pattern.matcher(value).matches()) {
                return true;
            }
            problem("the value (" + value.length() + " characters, not shown: it may be a secret) " + rule);
            return false;
        });
    }

    /** A whole number from {@code min} to {@code max}. */
    public Optional<Integer> integer(int min, int max) {
        return text().flatMap(value -> {
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return Optional.of(number);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem("'" + value + "' must be a whole number from " + min + " to " + max);
            return Optional.empty();
        });
    }

    /** A list of scalars, each checked by {@code item}. */
    public <T> List<T> list(Function<YamlNode, Optional<T>> item) {
        List<T> values = new ArrayList<>();
        for (YamlNode child : items()) {
            item.apply(child).ifPresent(values::add);
        }
        return values;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    private String kind() {
        return kind(node);
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "the value '" + ((ScalarNode) node).getValue() + "'";
    }
}

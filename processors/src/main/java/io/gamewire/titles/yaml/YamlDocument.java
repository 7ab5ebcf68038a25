package io.gamewire.titles.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A YAML file parsed to nodes that remember their line and column, plus the problems found while
 * reading it. Binders walk it with {@link YamlNode} and report every problem, not only the first.
 */
public final class YamlDocument {

    /** The most characters (code points) a title file may hold: 4 MiB. */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();
    private final YamlNode root;

    private YamlDocument(Path file, Node root) {
        this.file = file;
        this.root = root == null ? null : new YamlNode(this, root, "");
    }

    /** Parses {@code text}; a syntax error becomes a problem with its position and an empty document. */
    public static YamlDocument parse(Path file, String text) {
        // measured here, not left to snakeyaml's code point limit: it checks only where a token
        // starts, so text after the last token (a long comment) passes it, and its refusal would read
        // as a syntax error
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            YamlDocument document = new YamlDocument(file, null);
            document.problems.add(new Problem(file, 1, 1, "", "the file is " + text.codePointCount(0, text.length())
                    + " characters (code points) long; a title file may hold at most " + MAX_CODE_POINTS));
            return document;
        }
        // non-scalar keys are let through to be refused by YamlNode with their position and path; no
        // Java map is built from the nodes, so such a key is never hashed
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(true)
                .setAllowNonScalarKeys(true).setCodePointLimit(MAX_CODE_POINTS).build();
        try {
            Optional<Node> node = new Compose(settings).composeString(text);
            YamlDocument document = new YamlDocument(file, node.orElse(null));
            if (node.isEmpty()) {
                document.problems.add(new Problem(file, 1, 1, "", "the file is empty"));
            }
            return document;
        } catch (MarkedYamlEngineException e) {
            YamlDocument document = new YamlDocument(file, null);
            Mark mark = e.getProblemMark().orElse(null);
            document.problems.add(new Problem(file, mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "", "YAML syntax: " + e.getProblem()));
            return document;
        } catch (RuntimeException e) {
            YamlDocument document = new YamlDocument(file, null);
            document.problems.add(new Problem(file, 1, 1, "", "YAML syntax: " + e.getMessage()));
            return document;
        }
    }

    public Path file() {
        return file;
    }

    /** The top node, or empty when the file did not parse. */
    public Optional<YamlNode> root() {
        return Optional.ofNullable(root);
    }

    public List<Problem> problems() {
        return problems;
    }

    void report(Node node, String path, String message) {
        Mark mark = node.getStartMark().orElse(null);
        problems.add(new Problem(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                path, message));
    }
}

package io.gamewire.titles;

import io.gamewire.titles.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The query parameters one pull sends, gathered while its parts are read: {@code auth}, paging and
 * the watermark each may name one, and they all land in the same query string, so a name used twice
 * is only found once the whole pull is read.
 */
final class PullQueryParameters {

    /** A query parameter name: unreserved URL characters, and [ ] as in page[size]. */
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9._~\\[\\]-]{1,64}");
    private static final String PARAM_RULE = "must be a query parameter name: 1 to 64 of A-Z a-z 0-9 . _ ~ - [ ]";

    /** A query parameter the pull sends, with the node that names it, and whether the watermark may send it too. */
    private record Sent(String name, YamlNode node, boolean sharedWithWatermark) {
    }

    private final List<Sent> sent = new ArrayList<>();

    /** The parameter name {@code node} holds, kept to be checked against the others. */
    Optional<String> read(YamlNode node) {
        return read(node, false);
    }

    /**
     * As {@link #read}, for keyset paging's parameter, which may be the watermark's: the first
     * page sends the watermark in it, the next ones the last item's key.
     */
    Optional<String> readSharedWithWatermark(YamlNode node) {
        return read(node, true);
    }

    private Optional<String> read(YamlNode node, boolean sharedWithWatermark) {
        Optional<String> name = node.text(PARAM, PARAM_RULE);
        name.ifPresent(parameter -> sent.add(new Sent(parameter, node, sharedWithWatermark)));
        return name;
    }

    private static boolean isWatermark(YamlNode node) {
        return node.path().endsWith(".watermark.param");
    }

    /** Reports each parameter named again, at the later node, naming the field that sends it first. */
    void reportRepeats() {
        Map<String, Sent> names = new LinkedHashMap<>();
        for (Sent parameter : sent) {
            Sent earlier = names.putIfAbsent(parameter.name(), parameter);
            if (earlier != null && (earlier.sharedWithWatermark() && isWatermark(parameter.node())
                    || parameter.sharedWithWatermark() && isWatermark(earlier.node()))) {
                continue;
            }
            YamlNode first = earlier == null ? null : earlier.node();
            if (first != null) {
                parameter.node().problem("query parameter '" + parameter.name() + "' is already sent as "
                        + first.path().substring(first.path().indexOf('.', "pulls.".length()) + 1)
                        + "; each parameter the pull sends needs its own name");
            }
        }
    }
}

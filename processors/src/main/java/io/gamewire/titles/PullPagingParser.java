package io.gamewire.titles;

import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition.Body;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.yaml.YamlNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads how a pull walks the publisher's pages ({@code paging:}) and finds the items in each
 * ({@code body:}): together, because a cursor is read from the body or from its last item
 * depending on the body's format.
 */
final class PullPagingParser {

    static final int DEFAULT_PAGE_SIZE = 100;

    private PullPagingParser() {
    }

    /** The fields each kind of paging takes, beyond {@code type}. */
    private static final Map<PagingKind, List<String>> PAGING_FIELDS = Map.of(
            PagingKind.NONE, List.of(),
            PagingKind.CURSOR, List.of("param", "from"),
            PagingKind.PAGE, List.of("param", "size-param", "size", "first"),
            PagingKind.OFFSET, List.of("param", "size-param", "size"),
            PagingKind.LINK, List.of(),
            PagingKind.KEYSET, List.of("param", "from", "add", "size-param", "size"));

    /** The paging; {@code body} (null when it is wrong) says where a cursor's {@code from} reads. */
    static Paging paging(YamlNode node, Body body, PullQueryParameters parameters) {
        Map<String, YamlNode> fields = node.fields(Set.of("type", "param", "from", "add", "size-param", "size",
                "first"), Set.of("type"));
        PagingKind kind = Optional.ofNullable(fields.get("type"))
                .flatMap(n -> n.text(Pattern.compile("none|cursor|page|offset|link|keyset"),
                        "must be one of none, cursor, page, offset, link, keyset"))
                .map(type -> PagingKind.valueOf(type.toUpperCase(Locale.ROOT))).orElse(null);
        if (kind == null) {
            return null;
        }
        String type = kind.name().toLowerCase(Locale.ROOT);
        List<String> takes = PAGING_FIELDS.get(kind);
        for (Map.Entry<String, YamlNode> field : fields.entrySet()) {
            if (!field.getKey().equals("type") && !takes.contains(field.getKey())) {
                field.getValue().keyProblem("'" + field.getKey() + "' has no meaning with " + type + " paging, which "
                        + (takes.isEmpty() ? "takes no other field" : "takes " + String.join(", ", takes)));
            }
        }
        if (kind == PagingKind.NONE || kind == PagingKind.LINK) {
            return kind == PagingKind.NONE ? Paging.NONE : new Paging(PagingKind.LINK, null, null, null, 0, 0);
        }
        String what = switch (kind) {
            case CURSOR -> "cursor";
            case PAGE -> "page number";
            case KEYSET -> "last item's key";
            default -> "offset";
        };
        if (!fields.containsKey("param")) {
            node.keyProblem(type + " paging needs 'param': the query parameter the " + what + " is sent as");
        }
        // a keyset may go on in the watermark's own parameter (since = the watermark, then the last item's key)
        String param = Optional.ofNullable(fields.get("param"))
                .flatMap(n -> kind == PagingKind.KEYSET ? parameters.readSharedWithWatermark(n) : parameters.read(n))
                .orElse(null);
        if (kind == PagingKind.KEYSET) {
            return keyset(node, fields, param, parameters);
        }
        if (kind == PagingKind.CURSOR) {
            if (!fields.containsKey("from")) {
                node.keyProblem("cursor paging needs 'from': the JSON path of the next cursor in the response body"
                        + " (absent, null or empty on the last page)");
            }
            // json-items: a path in the body, beside the items; json-array and ndjson: a path in the
            // page's last item (keyset paging, ?after=<id of the last item>)
            boolean inBody = body == null || body.format() == BodyFormat.JSON_ITEMS;
            JsonPath from = Optional.ofNullable(fields.get("from"))
                    .flatMap(n -> PullValues.path(n, inBody
                            ? "the next cursor in the response body, such as $.next or $.meta.cursor"
                            : "the next cursor in the page's last item, such as $.id", false)).orElse(null);
            return new Paging(PagingKind.CURSOR, param, from, null, 0, 0);
        }
        String sizeParam = Optional.ofNullable(fields.get("size-param")).flatMap(parameters::read).orElse(null);
        // a page shorter than the size is the last: without size-param the publisher's page size is
        // unknown unless given, and 0 makes only an empty page the last
        int size = Optional.ofNullable(fields.get("size")).flatMap(n -> n.integer(1, 10_000))
                .orElse(fields.containsKey("size-param") ? DEFAULT_PAGE_SIZE : 0);
        int first = kind == PagingKind.OFFSET ? 0
                : Optional.ofNullable(fields.get("first")).flatMap(n -> n.integer(0, 1_000_000)).orElse(1);
        return new Paging(kind, param, null, sizeParam, size, first);
    }

    /** {@code {type: keyset, param, from, add?, size-param?, size}}: the next page is asked for after the last item. */
    private static Paging keyset(YamlNode node, Map<String, YamlNode> fields, String param,
                                 PullQueryParameters parameters) {
        if (!fields.containsKey("from")) {
            node.keyProblem("keyset paging needs 'from': the JSON path of the key in each item, such as $.createdAt,"
                    + " whose value in the page's last item (plus 'add') asks for the next page");
        }
        if (!fields.containsKey("size")) {
            node.keyProblem("keyset paging needs 'size': the page size, so that a shorter page ends the run");
        }
        JsonPath from = Optional.ofNullable(fields.get("from"))
                .flatMap(n -> PullValues.path(n, "the key in each item, such as $.createdAt", false)).orElse(null);
        long add = Optional.ofNullable(fields.get("add")).flatMap(n -> n.integer(0, 1_000_000)).orElse(0);
        String sizeParam = Optional.ofNullable(fields.get("size-param")).flatMap(parameters::read).orElse(null);
        int size = Optional.ofNullable(fields.get("size")).flatMap(n -> n.integer(1, 10_000)).orElse(0);
        return new Paging(PagingKind.KEYSET, param, from, sizeParam, size, 0, add);
    }

    /** {@code {format: json-array | json-items | ndjson, items: <path>}}. */
    static Body body(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("format", "items"), Set.of());
        BodyFormat format = Optional.ofNullable(fields.get("format"))
                .flatMap(n -> n.text(Pattern.compile("json-array|json-items|ndjson"),
                        "must be one of json-array, json-items, ndjson"))
                .map(text -> BodyFormat.valueOf(text.replace('-', '_').toUpperCase(Locale.ROOT)))
                .orElse(fields.containsKey("format") ? null : BodyFormat.JSON_ARRAY);
        if (format == null) {
            return null;
        }
        if (format == BodyFormat.JSON_ITEMS && !fields.containsKey("items")) {
            node.keyProblem("body format json-items needs 'items': the JSON path of the array of items in the body,"
                    + " such as $.items");
        }
        if (format != BodyFormat.JSON_ITEMS && fields.containsKey("items")) {
            fields.get("items").keyProblem("'items' has no meaning with body format "
                    + format.name().toLowerCase(Locale.ROOT).replace('_', '-') + (format == BodyFormat.NDJSON
                    ? " (each line is an item)" : " (the body is the array of items)"));
        }
        JsonPath items = format != BodyFormat.JSON_ITEMS ? null : Optional.ofNullable(fields.get("items"))
                .flatMap(n -> PullValues.path(n, "the array of items in the body, such as $.items or $.data.results",
                        false))
                .orElse(null);
        return new Body(format, items);
    }
}

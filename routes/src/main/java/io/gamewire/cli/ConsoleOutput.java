package io.gamewire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.config.SharedJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** How the console prints: lists as aligned tables, documents as indented JSON. */
final class ConsoleOutput {

    /** A cell wider than this is cut, with an ellipsis, so one long value does not push the rest off screen. */
    static final int MAX_CELL = 60;

    private final PrintWriter out;

    ConsoleOutput(PrintWriter out) {
        this.out = out;
    }

    PrintWriter writer() {
        return out;
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    void json(JsonNode document) {
        try {
            line(SharedJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (JsonProcessingException e) {
            line(document.toString());
        }
    }

    /** The rows under their headers, each column as wide as its widest cell; "(none)" for no rows. */
    void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
        }
        List<List<String>> cells = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> cut = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                String cell = i < row.size() && row.get(i) != null ? row.get(i) : "";
                cell = cell.length() > MAX_CELL ? cell.substring(0, MAX_CELL - 1) + "…" : cell;
                widths[i] = Math.max(widths[i], cell.length());
                cut.add(cell);
            }
            cells.add(cut);
        }
        line(format(headers, widths));
        for (List<String> row : cells) {
            line(format(row, widths));
        }
        if (rows.isEmpty()) {
            line("(none)");
        }
    }

    private static String format(List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                text.append("  ");
            }
            text.append(cells.get(i));
            if (i < cells.size() - 1) {
                text.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        return text.toString();
    }

    /** A JSON array's items as text, joined by commas. */
    static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join(",", items);
    }

    /** A JSON value as a table cell: text as is, null as empty, anything else as compact JSON. */
    static String cell(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}

package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The console's {@code capacity}: the planner's latest decisions, or one service's forecast and
 * decisions, printed as {@code gamewire capacity} prints them ({@link CapacityText}). {@link Console}
 * names it and says how it is written.
 */
record ConsoleCapacityCommands(ConsoleApi api, ConsoleOutput out) {

    int capacity(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() > 1) {
            throw new UsageException("capacity takes at most one service");
        }
        if (words.isEmpty()) {
            CapacityText.decisions(api.get("v1/admin/capacity"), out);
            return Console.OK;
        }
        JsonNode report = api.get("v1/admin/capacity/" + AdminPaths.segment(words.get(0)));
        CapacityText.summary(report, out);
        out.line("");
        out.line("decisions, oldest first:");
        CapacityText.history(report, out);
        return Console.OK;
    }
}

package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.config.SharedJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's pull commands: {@code pulls} lists them, {@code pull} starts a run. (The command
 * line's {@code gamewire pull} and {@code pulls}, which follow a run, are {@link PullCommands}.)
 * {@link Console} names them and says how they are written.
 */
record ConsolePullCommands(ConsoleApi api, ConsoleOutput out) {

    int pulls() throws AdminClient.AdminException {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode pull : api.get("v1/admin/pulls").path("pulls")) {
            rows.add(List.of(pull.path("title").asText() + "/" + pull.path("pull").asText(), pull.path("schedule").asText(),
                    pull.path("scheduled").asBoolean() ? "yes" : "no", pull.path("running").asBoolean() ? "yes" : "no",
                    pull.path("breaker").asText(), ConsoleOutput.cell(pull.path("watermark")),
                    ConsoleOutput.cell(pull.path("lastRunAt")), ConsoleOutput.cell(pull.path("lastError"))));
        }
        out.table(List.of("PULL", "SCHEDULE", "SCHEDULED", "RUNNING", "BREAKER", "WATERMARK", "LAST RUN", "LAST ERROR"),
                rows);
        return Console.OK;
    }

    int pull(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() != 2) {
            throw new UsageException("pull takes a title and a pull");
        }
        JsonNode run = api.post(AdminPaths.pullRuns(words.get(0), words.get(1)), SharedJson.MAPPER.createObjectNode());
        out.line("run " + run.path("id").asText() + " of " + words.get(0) + "/" + words.get(1) + " "
                + run.path("status").asText() + "; 'pulls' shows how it went");
        return Console.OK;
    }
}

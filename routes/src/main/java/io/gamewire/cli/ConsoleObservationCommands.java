package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.config.SharedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console's commands that watch a running gamewire: {@code titles}, {@code routes},
 * {@code stats}, {@code queues} and {@code tail}. {@link Console} names them and says how they are
 * written.
 */
record ConsoleObservationCommands(ConsoleApi api, ConsoleOutput out) {

    int titles() throws AdminClient.AdminException {
        JsonNode answer = api.get("v1/admin/titles");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode title : answer.path("titles")) {
            List<String> services = new ArrayList<>();
            int commandCount = 0;
            for (JsonNode service : title.path("services")) {
                services.add(service.path("service").asText());
                commandCount += service.path("commands").size();
            }
            List<String> pulls = new ArrayList<>();
            title.path("pulls").forEach(pull -> pulls.add(pull.path("pull").asText()));
            rows.add(List.of(title.path("title").asText(), ConsoleOutput.list(title.path("environments")),
                    String.join(",", services), Integer.toString(commandCount), String.join(",", pulls)));
        }
        out.table(List.of("TITLE", "ENVIRONMENTS", "SERVICES", "COMMANDS", "PULLS"), rows);
        for (JsonNode problem : answer.path("notInForce")) {
            out.line("not in force as written: " + problem.path("title").asText() + ": " + problem.path("problem").asText()
                    + (problem.path("lastGoodVersionInForce").asBoolean() ? " (its last good version runs)" : ""));
        }
        return Console.OK;
    }

    int routes() throws AdminClient.AdminException {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode route : api.get("v1/admin/routes").path("routes")) {
            JsonNode mean = route.path("meanProcessingMillis");
            rows.add(List.of(route.path("id").asText(), route.path("state").asText(), ConsoleOutput.cell(route.path("exchangesTotal")),
                    ConsoleOutput.cell(route.path("exchangesFailed")), ConsoleOutput.cell(route.path("exchangesInflight")),
                    mean.isNumber() ? String.format(Locale.ROOT, "%.1f", mean.asDouble()) : ""));
        }
        out.table(List.of("ROUTE", "STATE", "TOTAL", "FAILED", "INFLIGHT", "MEAN MS"), rows);
        return Console.OK;
    }

    int stats(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() > 2) {
            throw new UsageException("stats takes a pattern and a window");
        }
        String pattern = words.isEmpty() ? "#" : words.get(0);
        String window = words.size() > 1 ? words.get(1) : "1m";
        JsonNode answer = api.get("v1/admin/stats?pattern=" + AdminPaths.query(pattern) + "&window="
                + AdminPaths.query(window));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode key : answer.path("routingKeys")) {
            rows.add(statsRow(key.path("routingKey").asText(), key));
        }
        if (answer.has("totals")) {
            rows.add(statsRow("(total)", answer.path("totals")));
        }
        out.line("pattern " + answer.path("pattern").asText(pattern) + ", window "
                + answer.path("windowSeconds").asText("?") + " s");
        out.table(List.of("ROUTING KEY", "EVENTS", "EVENTS/S", "BYTES", "DEAD LETTERS", "REFUSALS", "P95 MS"), rows);
        return Console.OK;
    }

    private static List<String> statsRow(String name, JsonNode stats) {
        return List.of(name, ConsoleOutput.cell(stats.path("events").path("total")),
                ConsoleOutput.cell(stats.path("events").path("perSecond")),
                ConsoleOutput.cell(stats.path("bytes").path("total")),
                ConsoleOutput.cell(stats.path("deadLetters").path("total")),
                ConsoleOutput.cell(stats.path("refusals").path("total")),
                ConsoleOutput.cell(stats.path("delayMillis").path("p95")));
    }

    int queues() throws AdminClient.AdminException {
        JsonNode answer = api.get("v1/admin/queues");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode queue : answer.path("queues")) {
            rows.add(List.of(queue.path("queue").asText(), ConsoleOutput.cell(queue.path("messages")),
                    ConsoleOutput.cell(queue.path("unacked")), ConsoleOutput.cell(queue.path("consumers")),
                    ConsoleOutput.cell(queue.path("deadLetters"))));
        }
        out.table(List.of("QUEUE", "MESSAGES", "UNACKED", "CONSUMERS", "DEAD LETTERS"), rows);
        if (answer.has("source")) {
            out.line("(from " + answer.path("source").asText() + ")");
        }
        return Console.OK;
    }

    int tail(String rest) throws AdminClient.AdminException {
        List<String> words = new ArrayList<>(Console.words(rest));
        boolean deadLetters = words.remove("--dead-letters");
        long limit = 0;
        int at = words.indexOf("--limit");
        if (at >= 0) {
            try {
                limit = at + 1 < words.size() ? Long.parseLong(words.get(at + 1)) : -1;
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1_000_000) {
                throw new UsageException("--limit takes a number of events from 1 to 1000000");
            }
            words.subList(at, at + 2).clear();
        }
        if (words.size() != 1) {
            throw new UsageException("tail takes one pattern, such as halo.*.stats.#");
        }
        out.line("following " + words.get(0) + (limit > 0 ? " for " + limit + " event(s)" : "")
                + " (Ctrl-C returns to the prompt)");
        // with a limit, gamewire ends the stream after that many events, which ends the call
        api.stream(AdminPaths.tail(words.get(0), deadLetters, limit), event -> {
            if (event.event().equals("dropped")) {
                out.line("(dropped: " + event.data() + ")");
                return;
            }
            out.line(tailLine(event.data()));
        });
        return Console.OK;
    }

    /** A tailed message as {@code gamewire tail} prints it (or its data as is, if not JSON). */
    static String tailLine(String data) {
        try {
            return TailCommands.line(SharedJson.MAPPER.readTree(data));
        } catch (IOException e) {
            return data;
        }
    }
}

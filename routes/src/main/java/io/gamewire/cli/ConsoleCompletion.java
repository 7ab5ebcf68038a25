package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What tab completes in the console: the command names first; after a command, what it takes,
 * from the titles in force ({@code GET /v1/admin/titles}, read once when first needed): routing
 * keys (and {@code title.#} patterns) for stats, tail and send, service queues for dlq and capacity, titles and
 * their pulls for pull.
 */
final class ConsoleCompletion {

    private final List<String> commands;
    private final Supplier<JsonNode> titlesAnswer;
    private Known known;

    /** The names taken from the titles answer. */
    private record Known(List<String> titles, List<String> routingKeys, List<String> stagingKeys, List<String> queues,
                         List<String> patterns, JsonNode answer) {
    }

    /** @param titlesAnswer the {@code /v1/admin/titles} answer, or null when it cannot be had */
    ConsoleCompletion(List<String> commands, Supplier<JsonNode> titlesAnswer) {
        this.commands = commands;
        this.titlesAnswer = titlesAnswer;
    }

    /**
     * The candidates for the word being typed.
     *
     * @param before the words of the line before it
     */
    List<String> candidates(List<String> before, String current) {
        List<String> all = before.isEmpty() ? commands : arguments(before);
        return all.stream().filter(candidate -> candidate.startsWith(current)).toList();
    }

    private List<String> arguments(List<String> before) {
        String command = before.get(0);
        int position = before.size();
        switch (command) {
            case "help":
                return position == 1 ? commands : List.of();
            case "stats":
                return position == 1 ? known().patterns() : List.of();
            case "tail":
                return position == 1 ? known().patterns() : List.of("--dead-letters", "--limit");
            case "send":
                if (position == 1) {
                    List<String> keys = new ArrayList<>(known().stagingKeys());
                    keys.addAll(known().routingKeys());
                    return keys;
                }
                return List.of("--prod");
            case "replay":
                return position == 2 ? List.of("--to") : position >= 3 ? List.of("--prod") : List.of();
            case "kv":
            case "cache":
                return position == 1 ? List.of("get") : List.of();
            case "dlq":
                return position == 1 ? List.of("list", "replay") : position == 2 ? known().queues() : List.of();
            case "capacity":
                return position == 1 ? known().queues() : List.of();
            case "pull":
                return position == 1 ? known().titles() : position == 2 ? pullsOf(before.get(1)) : List.of();
            case "sql":
                return position == 1 ? List.of("SELECT") : List.of();
            default:
                return List.of();
        }
    }

    private List<String> pullsOf(String title) {
        List<String> pulls = new ArrayList<>();
        for (JsonNode node : known().answer().path("titles")) {
            if (node.path("title").asText().equals(title)) {
                node.path("pulls").forEach(pull -> pulls.add(pull.path("pull").asText()));
            }
        }
        return pulls;
    }

    /** Forgets the titles, so the next completion reads them again (after a reload, say). */
    void refresh() {
        known = null;
    }

    private Known known() {
        if (known == null) {
            JsonNode answer = titlesAnswer.get();
            known = answer == null ? new Known(List.of(), List.of(), List.of(), List.of(), List.of("#"),
                    com.fasterxml.jackson.databind.node.MissingNode.getInstance()) : read(answer);
        }
        return known;
    }

    private static Known read(JsonNode answer) {
        TreeSet<String> titles = new TreeSet<>();
        TreeSet<String> stagingKeys = new TreeSet<>();
        TreeSet<String> queues = new TreeSet<>();
        TreeSet<String> patterns = new TreeSet<>(List.of("#"));
        for (JsonNode title : answer.path("titles")) {
            String name = title.path("title").asText();
            titles.add(name);
            patterns.add(name + ".#");
            title.path("environments").forEach(env -> patterns.add(name + "." + env.asText() + ".#"));
            for (JsonNode service : title.path("services")) {
                service.path("queues").forEach(queue -> queues.add(queue.asText()));
                for (JsonNode command : service.path("commands")) {
                    stagingKeys.add(name + "." + service.path("service").asText() + "." + command.path("command").asText());
                }
            }
        }
        List<String> routingKeys = new ArrayList<>();
        answer.path("routingKeys").forEach(key -> routingKeys.add(key.asText()));
        patterns.addAll(routingKeys);
        return new Known(List.copyOf(titles), routingKeys, List.copyOf(stagingKeys), List.copyOf(queues),
                List.copyOf(patterns), answer);
    }
}

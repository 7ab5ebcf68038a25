package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.SharedJson;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The commands of {@code gamewire console}, without a terminal: {@link #execute} parses one line,
 * calls the admin API ({@link ConsoleApi}) and prints to {@link ConsoleOutput}; the exit status
 * tells scripts ({@code -c}) how it went. JLine (line editing, history, completion) is only in
 * {@link ConsoleCommand}.
 */
final class Console {

    /** Exit statuses: done, the call failed or was refused, the command line is wrong. */
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** One command: how it is written, what it does, and what runs it. */
    record Spec(String name, String usage, String help, Handler handler) {
    }

    @FunctionalInterface
    interface Handler {
        int run(String rest) throws AdminClient.AdminException;
    }

    private final ConsoleApi api;
    private final ConsoleOutput out;
    private final ConsoleOutput err;
    /** Asks the operator a question and returns the answer (null at end of input). */
    private final UnaryOperator<String> ask;
    private final Map<String, Spec> commands = new LinkedHashMap<>();
    private boolean exitRequested;

    Console(ConsoleApi api, ConsoleOutput out, ConsoleOutput err, UnaryOperator<String> ask) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.ask = ask;
        add("titles", "titles", "the titles in force: environments, services, commands, pulls; and title files"
                + " that are not in force as written, with their problem", rest -> titles());
        add("routes", "routes", "every Camel route: state, exchanges total/failed/in flight, mean processing time",
                rest -> routes());
        add("stats", "stats [PATTERN] [WINDOW]", "events, bytes, dead letters, refusals and delay per routing key"
                + " over the window (default #, 1m); PATTERN is a topic pattern such as halo.prod.#", this::stats);
        add("queues", "queues", "every service queue: messages, unacknowledged, consumers, dead letters",
                rest -> queues());
        add("tail", "tail PATTERN [--dead-letters] [--limit N]", "follows matching events live until Ctrl-C, or"
                + " until N events (for scripts: console -c \"tail halo.# --limit 10\")", this::tail);
        add("event", "event ID", "a stored event and what it left in SQL, the KV store and the cache", this::event);
        add("kv", "kv get KEY", "a KV record's fields", rest -> rawGet("kv", rest));
        add("cache", "cache get KEY", "a cache entry", rest -> rawGet("cache", rest));
        add("sql", "sql SELECT …", "one read-only SELECT on gamewire's tables (row limit and timeout apply)",
                this::sql);
        add("dlq", "dlq list QUEUE | dlq replay QUEUE [ID…]", "a service's dead letters (QUEUE is"
                + " title.env.service); replay puts them (all, or those ids) back on the bus", this::dlq);
        add("pulls", "pulls", "every pull: schedule, running, breaker, watermark, last run", rest -> pulls());
        add("pull", "pull TITLE PULL", "runs a pull now (its progress: pulls, or gamewire pull)", this::pull);
        add("send", "send ROUTING-KEY JSON [--prod]", "publishes an event: title.service.command goes to the staging"
                + " environment, title.env.service.command where it says; prod only with --prod and confirmation",
                this::send);
        add("replay", "replay ID --to ENV [--prod]", "publishes a stored event again under the same title, service"
                + " and command in ENV (new message id, gw-replay-of naming the original)", this::replay);
        add("compare", "compare ID ID", "two stored events side by side and what differs in payload, SQL, KV and"
                + " cache", this::compare);
        add("capacity", "capacity [SERVICE]", "without SERVICE, every planned service's latest decision; with it"
                + " (title.env.service), the rate now, the forecast peak and when, current and planned consumers, and"
                + " every decision the planner kept", this::capacity);
        add("help", "help [COMMAND]", "the commands, or one command's usage", this::help);
        add("exit", "exit", "leaves the console (also quit, Ctrl-D)", rest -> {
            exitRequested = true;
            return OK;
        });
    }

    private void add(String name, String usage, String help, Handler handler) {
        commands.put(name, new Spec(name, usage, help, handler));
    }

    /** The command names, for completion and help. */
    List<String> commandNames() {
        return List.copyOf(commands.keySet());
    }

    boolean exitRequested() {
        return exitRequested;
    }

    /** Runs one command line; its exit status. A blank line does nothing. */
    int execute(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty()) {
            return OK;
        }
        int space = firstSpace(trimmed);
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? "" : trimmed.substring(space + 1).strip();
        if (name.equals("quit")) {
            name = "exit";
        }
        Spec spec = commands.get(name);
        if (spec == null) {
            err.line("unknown command '" + name + "'; type help for the commands");
            return USAGE;
        }
        try {
            return spec.handler().run(rest);
        } catch (UsageException e) {
            err.line(e.getMessage() + " (usage: " + spec.usage() + ")");
            return USAGE;
        } catch (AdminClient.AdminException e) {
            err.line(name + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The words of the rest of a line, split on white space. */
    static List<String> words(String rest) {
        return rest.isBlank() ? List.of() : List.of(rest.strip().split("\\s+"));
    }

    private int help(String rest) {
        if (!rest.isEmpty()) {
            Spec spec = commands.get(rest);
            if (spec == null) {
                throw new UsageException("no command '" + rest + "'; the commands: " + String.join(", ", commandNames()));
            }
            out.line(spec.usage());
            out.line("  " + spec.help());
            return OK;
        }
        List<List<String>> rows = new ArrayList<>();
        commands.values().forEach(spec -> rows.add(List.of(spec.usage(), spec.help())));
        out.table(List.of("COMMAND", "WHAT IT DOES"), rows);
        return OK;
    }

    private int titles() throws AdminClient.AdminException {
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
            rows.add(List.of(title.path("title").asText(), join(title.path("environments")), String.join(",", services),
                    Integer.toString(commandCount), String.join(",", pulls)));
        }
        out.table(List.of("TITLE", "ENVIRONMENTS", "SERVICES", "COMMANDS", "PULLS"), rows);
        for (JsonNode problem : answer.path("notInForce")) {
            out.line("not in force as written: " + problem.path("title").asText() + ": " + problem.path("problem").asText()
                    + (problem.path("lastGoodVersionInForce").asBoolean() ? " (its last good version runs)" : ""));
        }
        return OK;
    }

    private int routes() throws AdminClient.AdminException {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode route : api.get("v1/admin/routes").path("routes")) {
            JsonNode mean = route.path("meanProcessingMillis");
            rows.add(List.of(route.path("id").asText(), route.path("state").asText(), ConsoleOutput.cell(route.path("exchangesTotal")),
                    ConsoleOutput.cell(route.path("exchangesFailed")), ConsoleOutput.cell(route.path("exchangesInflight")),
                    mean.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f", mean.asDouble()) : ""));
        }
        out.table(List.of("ROUTE", "STATE", "TOTAL", "FAILED", "INFLIGHT", "MEAN MS"), rows);
        return OK;
    }

    private int stats(String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() > 2) {
            throw new UsageException("stats takes a pattern and a window");
        }
        String pattern = words.isEmpty() ? "#" : words.get(0);
        String window = words.size() > 1 ? words.get(1) : "1m";
        JsonNode answer = api.get("v1/admin/stats?pattern=" + query(pattern) + "&window=" + query(window));
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
        return OK;
    }

    private static List<String> statsRow(String name, JsonNode stats) {
        return List.of(name, ConsoleOutput.cell(stats.path("events").path("total")),
                ConsoleOutput.cell(stats.path("events").path("perSecond")),
                ConsoleOutput.cell(stats.path("bytes").path("total")),
                ConsoleOutput.cell(stats.path("deadLetters").path("total")),
                ConsoleOutput.cell(stats.path("refusals").path("total")),
                ConsoleOutput.cell(stats.path("delayMillis").path("p95")));
    }

    private int queues() throws AdminClient.AdminException {
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
        return OK;
    }

    private int tail(String rest) throws AdminClient.AdminException {
        List<String> words = new ArrayList<>(words(rest));
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
        api.stream("v1/admin/tail?pattern=" + query(words.get(0)) + (deadLetters ? "&deadLetters=true" : "")
                + (limit > 0 ? "&limit=" + limit : ""), event -> {
                    if (event.event().equals("dropped")) {
                        out.line("(dropped: " + event.data() + ")");
                        return;
                    }
                    out.line(tailLine(event.data()));
                });
        return OK;
    }

    /** A tailed message as {@code gamewire tail} prints it (or its data as is, if not JSON). */
    static String tailLine(String data) {
        try {
            return TailCommands.line(SharedJson.MAPPER.readTree(data));
        } catch (IOException e) {
            return data;
        }
    }

    private int event(String rest) throws AdminClient.AdminException {
        out.json(api.get("v1/admin/events/" + segment(one(rest, "event takes one message id"))));
        return OK;
    }

    private int rawGet(String store, String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() != 2 || !words.get(0).equals("get")) {
            throw new UsageException(store + " takes get and one key");
        }
        out.json(api.get("v1/admin/" + store + "?key=" + query(words.get(1))));
        return OK;
    }

    private int sql(String rest) throws AdminClient.AdminException {
        if (rest.isEmpty()) {
            throw new UsageException("sql takes a SELECT");
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("sql", rest);
        JsonNode answer = api.post("v1/admin/sql", request);
        List<String> headers = new ArrayList<>();
        answer.path("columns").forEach(column -> headers.add(column.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : answer.path("rows")) {
            List<String> cells = new ArrayList<>();
            row.forEach(value -> cells.add(ConsoleOutput.cell(value)));
            rows.add(cells);
        }
        out.table(headers, rows);
        out.line(rows.size() + " row(s)" + (answer.path("truncated").asBoolean() ? ", more left out (LIMIT or a"
                + " narrower WHERE shows them)" : ""));
        return OK;
    }

    private int dlq(String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() >= 2 && words.get(0).equals("list")) {
            if (words.size() != 2) {
                throw new UsageException("dlq list takes one queue");
            }
            JsonNode answer = api.get("v1/admin/dlq?queue=" + query(words.get(1)));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode letter : answer.path("deadLetters")) {
                rows.add(List.of(letter.path("messageId").asText(), letter.path("routingKey").asText(),
                        ConsoleOutput.cell(letter.path("attempts")), ConsoleOutput.cell(letter.path("lastFailure")),
                        ConsoleOutput.cell(letter.path("reason"))));
            }
            out.table(List.of("MESSAGE ID", "ROUTING KEY", "ATTEMPTS", "LAST FAILURE", "REASON"), rows);
            return OK;
        }
        if (words.size() >= 2 && words.get(0).equals("replay")) {
            ObjectNode request = SharedJson.MAPPER.createObjectNode().put("queue", words.get(1));
            ArrayNode ids = request.putArray("messageIds");
            words.subList(2, words.size()).forEach(ids::add);
            JsonNode answer = api.post("v1/admin/dlq/replay", request);
            out.line("replayed " + answer.path("replayed").asInt() + " from " + words.get(1) + ": "
                    + join(answer.path("messageIds")));
            return OK;
        }
        throw new UsageException("dlq takes list QUEUE or replay QUEUE [ID…]");
    }

    private int pulls() throws AdminClient.AdminException {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode pull : api.get("v1/admin/pulls").path("pulls")) {
            rows.add(List.of(pull.path("title").asText() + "/" + pull.path("pull").asText(), pull.path("schedule").asText(),
                    pull.path("scheduled").asBoolean() ? "yes" : "no", pull.path("running").asBoolean() ? "yes" : "no",
                    pull.path("breaker").asText(), ConsoleOutput.cell(pull.path("watermark")),
                    ConsoleOutput.cell(pull.path("lastRunAt")), ConsoleOutput.cell(pull.path("lastError"))));
        }
        out.table(List.of("PULL", "SCHEDULE", "SCHEDULED", "RUNNING", "BREAKER", "WATERMARK", "LAST RUN", "LAST ERROR"),
                rows);
        return OK;
    }

    private int capacity(String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() > 1) {
            throw new UsageException("capacity takes at most one service");
        }
        if (words.isEmpty()) {
            CapacityText.decisions(api.get("v1/admin/capacity"), out);
            return OK;
        }
        JsonNode report = api.get("v1/admin/capacity/" + segment(words.get(0)));
        CapacityText.summary(report, out);
        out.line("");
        out.line("decisions, oldest first:");
        CapacityText.history(report, out);
        return OK;
    }

    private int pull(String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() != 2) {
            throw new UsageException("pull takes a title and a pull");
        }
        JsonNode run = api.post("v1/admin/pulls/" + segment(words.get(0)) + "/" + segment(words.get(1)) + "/runs",
                SharedJson.MAPPER.createObjectNode());
        out.line("run " + run.path("id").asText() + " of " + words.get(0) + "/" + words.get(1) + " "
                + run.path("status").asText() + "; 'pulls' shows how it went");
        return OK;
    }

    private int send(String rest) throws AdminClient.AdminException {
        boolean prod = rest.endsWith(" --prod");
        String body = prod ? rest.substring(0, rest.length() - " --prod".length()).strip() : rest;
        int space = firstSpace(body);
        if (space < 0) {
            throw new UsageException("send takes a routing key and a JSON payload");
        }
        String routingKey = body.substring(0, space);
        JsonNode payload;
        try {
            payload = SharedJson.MAPPER.readTree(body.substring(space + 1));
        } catch (IOException e) {
            throw new UsageException("the payload is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (prod && !confirmed(routingKey.split("\\.")[0])) {
            return FAILED;
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("routingKey", routingKey).put("prod", prod);
        request.set("payload", payload);
        JsonNode answer = api.post("v1/admin/send", request);
        out.line("sent " + answer.path("messageId").asText() + " to " + answer.path("routingKey").asText());
        return OK;
    }

    private int replay(String rest) throws AdminClient.AdminException {
        List<String> words = new ArrayList<>(words(rest));
        boolean prod = words.remove("--prod");
        int to = words.indexOf("--to");
        if (words.size() != 3 || to != 1) {
            throw new UsageException("replay takes a message id and --to ENV");
        }
        String id = words.get(0);
        String env = words.get(2);
        if (prod) {
            String title = api.get("v1/admin/events/" + segment(id)).path("routingKey").asText().split("\\.")[0];
            if (!confirmed(title)) {
                return FAILED;
            }
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("messageId", id).put("toEnv", env).put("prod", prod);
        JsonNode answer = api.post("v1/admin/replay", request);
        out.line("replayed " + id + " as " + answer.path("messageId").asText() + " to "
                + answer.path("routingKey").asText());
        return OK;
    }

    /** Asks for the title's name before anything goes to prod. */
    private boolean confirmed(String title) {
        String answer = ask.apply("this goes to prod: type the title name (" + title + ") to confirm: ");
        if (answer != null && answer.strip().equals(title)) {
            return true;
        }
        err.line("not confirmed: nothing was sent");
        return false;
    }

    private int compare(String rest) throws AdminClient.AdminException {
        List<String> words = words(rest);
        if (words.size() != 2) {
            throw new UsageException("compare takes two message ids");
        }
        JsonNode answer = api.get("v1/admin/compare?a=" + query(words.get(0)) + "&b=" + query(words.get(1)));
        JsonNode a = answer.path("a");
        JsonNode b = answer.path("b");
        List<List<String>> rows = new ArrayList<>();
        for (String field : List.of("messageId", "routingKey", "eventTime", "storedAt")) {
            rows.add(List.of(field, a.path(field).asText(), b.path(field).asText()));
        }
        rows.add(List.of("attributes", ConsoleOutput.cell(a.path("attributes")), ConsoleOutput.cell(b.path("attributes"))));
        rows.add(List.of("payload", ConsoleOutput.cell(a.path("payload")), ConsoleOutput.cell(b.path("payload"))));
        rows.add(List.of("sql row", ConsoleOutput.cell(a.path("sql").path("row")), ConsoleOutput.cell(b.path("sql").path("row"))));
        rows.add(List.of("kv", ConsoleOutput.cell(a.path("kv").path("fields")), ConsoleOutput.cell(b.path("kv").path("fields"))));
        rows.add(List.of("cache", ConsoleOutput.cell(a.path("cache").path("value")), ConsoleOutput.cell(b.path("cache").path("value"))));
        out.table(List.of("", "A", "B"), rows);
        List<List<String>> differences = new ArrayList<>();
        answer.path("differences").fields().forEachRemaining(kind -> kind.getValue().forEach(difference -> {
            String name = difference.has("column") ? difference.path("column").asText()
                    : difference.has("field") ? difference.path("field").asText() : difference.path("value").asText("value");
            differences.add(List.of(kind.getKey(), name, ConsoleOutput.cell(difference.path("a")),
                    ConsoleOutput.cell(difference.path("b"))));
        }));
        out.line(differences.isEmpty() ? "no differences in payload, SQL, KV or cache" : "differences:");
        if (!differences.isEmpty()) {
            out.table(List.of("WHERE", "NAME", "A", "B"), differences);
        }
        return OK;
    }

    private static String one(String rest, String message) {
        List<String> words = words(rest);
        if (words.size() != 1) {
            throw new UsageException(message);
        }
        return words.get(0);
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join(",", items);
    }

    private static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A path segment, percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

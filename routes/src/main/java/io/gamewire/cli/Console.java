package io.gamewire.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The commands of {@code gamewire console}, without a terminal: {@link #execute} parses one line and
 * hands it to its command, which calls the admin API ({@link ConsoleApi}) and prints to
 * {@link ConsoleOutput}; the exit status tells scripts ({@code -c}) how it went. Here each command's
 * name, usage and help; the commands themselves by group: {@link ConsoleObservationCommands} (titles,
 * routes, stats, queues, tail), {@link ConsoleDataCommands} (event, kv, cache, sql, compare),
 * {@link ConsoleBusCommands} (send, replay, dlq), {@link ConsolePullCommands} (pulls, pull),
 * {@link ConsoleCapacityCommands} (capacity). JLine (line editing, history, completion) is only in
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

    private final ConsoleOutput out;
    private final ConsoleOutput err;
    private final Map<String, Spec> commands = new LinkedHashMap<>();
    private boolean exitRequested;

    Console(ConsoleApi api, ConsoleOutput out, ConsoleOutput err, UnaryOperator<String> ask) {
        this.out = out;
        this.err = err;
        ConsoleObservationCommands observation = new ConsoleObservationCommands(api, out);
        ConsoleDataCommands data = new ConsoleDataCommands(api, out);
        ConsoleBusCommands bus = new ConsoleBusCommands(api, out, err, ask);
        ConsolePullCommands pulls = new ConsolePullCommands(api, out);
        ConsoleCapacityCommands capacity = new ConsoleCapacityCommands(api, out);
        add("titles", "titles", "the titles in force: environments, services, commands, pulls; and title files"
                + " that are not in force as written, with their problem", rest -> observation.titles());
        add("routes", "routes", "every Camel route: state, exchanges total/failed/in flight, mean processing time",
                rest -> observation.routes());
        add("stats", "stats [PATTERN] [WINDOW]", "events, bytes, dead letters, refusals and delay per routing key"
                + " over the window (default #, 1m); PATTERN is a topic pattern such as halo.prod.#", observation::stats);
        add("queues", "queues", "every service queue: messages, unacknowledged, consumers, dead letters",
                rest -> observation.queues());
        add("tail", "tail PATTERN [--dead-letters] [--limit N]", "follows matching events live until Ctrl-C, or"
                + " until N events (for scripts: console -c \"tail halo.# --limit 10\")", observation::tail);
        add("event", "event ID", "a stored event and what it left in SQL, the KV store and the cache", data::event);
        add("kv", "kv get KEY", "a KV record's fields", rest -> data.rawGet("kv", rest));
        add("cache", "cache get KEY", "a cache entry", rest -> data.rawGet("cache", rest));
        add("sql", "sql SELECT …", "one read-only SELECT on gamewire's tables (row limit and timeout apply)",
                data::sql);
        add("dlq", "dlq list QUEUE | dlq replay QUEUE [ID…]", "a service's dead letters (QUEUE is"
                + " title.env.service); replay puts them (all, or those ids) back on the bus", bus::dlq);
        add("pulls", "pulls", "every pull: schedule, running, breaker, watermark, last run", rest -> pulls.pulls());
        add("pull", "pull TITLE PULL", "runs a pull now (its progress: pulls, or gamewire pull)", pulls::pull);
        add("send", "send ROUTING-KEY JSON [--prod]", "publishes an event: title.service.command goes to the staging"
                + " environment, title.env.service.command where it says; prod only with --prod and confirmation",
                bus::send);
        add("replay", "replay ID --to ENV [--prod]", "publishes a stored event again under the same title, service"
                + " and command in ENV (new message id, gw-replay-of naming the original)", bus::replay);
        add("compare", "compare ID ID", "two stored events side by side and what differs in payload, SQL, KV and"
                + " cache", data::compare);
        add("capacity", "capacity [SERVICE]", "without SERVICE, every planned service's latest decision; with it"
                + " (title.env.service), the rate now, the forecast peak and when, current and planned consumers, and"
                + " every decision the planner kept", capacity::capacity);
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

    /** Where the first white space of {@code text} is; -1 when it has none. */
    static int firstSpace(String text) {
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
}

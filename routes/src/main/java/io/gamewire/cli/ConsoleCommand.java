package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gamewire console}: a REPL against a running gamewire's admin API (JLine: line editing,
 * history in {@code ~/.gamewire/history}, tab completion of commands, titles and routing keys), or
 * with {@code -c} one command and its exit status. The commands themselves are {@link Console}'s.
 */
@Command(name = "console", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
            "An interactive console on a running gamewire, through its admin API: titles, routes, stats, queues,"
                    + " a live tail, stored events and what they left in SQL, the KV store and the cache, read-only"
                    + " SQL, dead letters, pulls, and sending or replaying events to staging (to prod only with"
                    + " --prod and typing the title's name). Type help in the console for its commands.",
            "Authenticates with --token, else gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN). The configuration"
                    + " options (--config, --profile, --set) go before 'console': gamewire --config DIR console.",
            "With -c it runs one command and exits: 0 done, 1 the call failed or was refused, 2 a usage error."},
        footer = {"", "Examples:", "  gamewire console", "  gamewire console -c \"stats halo.prod.# 5m\"",
            "  gamewire console --url http://10.0.0.5:8080 -c \"sql SELECT map, COUNT(*) FROM halo_matches GROUP BY map\""})
final class ConsoleCommand implements Callable<Integer> {

    /** Lines of history kept in memory and in the file. */
    static final int HISTORY_LINES = 1000;

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private AdminApiOptions adminApi;

    @Option(names = {"-c", "--command"}, paramLabel = "COMMAND",
            description = "run this console command and exit with its status, e.g. -c \"stats halo.#\"")
    private String command;

    @Override
    public Integer call() throws IOException {
        AdminClient client = adminApi.client(gamewire.application(), gamewire.config(), "gamewire console");
        if (command != null) {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Console console = new Console(api(client, null), new ConsoleOutput(out), new ConsoleOutput(err),
                    prompt -> {
                        out.print(prompt);
                        out.flush();
                        try {
                            return in.readLine();
                        } catch (IOException e) {
                            return null;
                        }
                    });
            return console.execute(command);
        }
        return interactive(client);
    }

    private int interactive(AdminClient client) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Path history = Path.of(System.getProperty("user.home"), ".gamewire", "history");
            Files.createDirectories(history.getParent());
            LineReader[] reader = new LineReader[1];
            PrintWriter out = terminal.writer();
            Console console = new Console(api(client, terminal), new ConsoleOutput(out), new ConsoleOutput(out),
                    prompt -> {
                        try {
                            return reader[0].readLine(prompt);
                        } catch (UserInterruptException | EndOfFileException e) {
                            return null;
                        }
                    });
            ConsoleCompletion completion = new ConsoleCompletion(console.commandNames(), () -> {
                try {
                    return client.get("v1/admin/titles");
                } catch (AdminClient.AdminException e) {
                    return null; // no completion of names, the commands still complete
                }
            });
            reader[0] = LineReaderBuilder.builder().appName("gamewire").terminal(terminal)
                    .completer((lineReader, line, candidates) -> {
                        List<String> before = line.words().subList(0, line.wordIndex());
                        String current = line.word().substring(0, line.wordCursor());
                        completion.candidates(before, current).forEach(text -> candidates.add(new Candidate(text)));
                    })
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES)
                    .build();
            out.println("gamewire console on " + client.base() + ": help lists the commands, Tab completes, Ctrl-D leaves");
            while (!console.exitRequested()) {
                String line;
                try {
                    line = reader[0].readLine("gamewire> ");
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C clears the line
                } catch (EndOfFileException e) {
                    break;
                }
                console.execute(line);
                if (line.strip().startsWith("titles")) {
                    completion.refresh();
                }
            }
            reader[0].getHistory().save();
            return Console.OK;
        }
    }

    /** The admin API over HTTP; with a terminal, Ctrl-C during a tail ends the tail, not the console. */
    private static ConsoleApi api(AdminClient client, Terminal terminal) {
        return new ConsoleApi() {
            @Override
            public JsonNode get(String path) throws AdminClient.AdminException {
                return client.get(path);
            }

            @Override
            public JsonNode post(String path, JsonNode body) throws AdminClient.AdminException {
                return client.post(path, body);
            }

            @Override
            public void stream(String path, Consumer<ServerSentEvent> events) throws AdminClient.AdminException {
                AdminClient.EventStream stream = client.stream(path);
                // closing the stream ends the read; gamewire then drops the tail's binding
                Terminal.SignalHandler previous = terminal == null ? null
                        : terminal.handle(Terminal.Signal.INT, signal -> stream.close());
                try {
                    stream.forEach(events, comment -> { });
                } finally {
                    stream.close();
                    if (terminal != null) {
                        terminal.handle(Terminal.Signal.INT, previous);
                    }
                }
            }
        };
    }
}

package io.gamewire.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code gamewire}: what to do, where the configuration is, which profile,
 * and single-property overrides. Parsing never exits: errors are {@link UsageException}s.
 */
public record CommandLine(Command command, boolean help, boolean version, Path configDir, boolean configDirGiven,
                          String profile, Map<String, String> overrides, Path target, List<String> operands,
                          String since, String url) {

    /** What to do. */
    public enum Command {
        RUN, VALIDATE, DOCS, PULL, PULLS
    }

    public static final String USAGE = """
            Usage: java -jar gamewire.jar [run] [options]
                   java -jar gamewire.jar validate [TITLES_DIR] [--config DIR]
                   java -jar gamewire.jar docs --out DIR [--config DIR]
                   java -jar gamewire.jar pull TITLE PULL [--since VALUE] [--url URL] [options]
                   java -jar gamewire.jar pulls [--url URL] [options]

            run (the default) runs the gamewire router: HTTP ingest and query API, routing
            over AMQP topic exchanges, storage in SQL, a KV store and a cache. With no
            profile it runs on the embedded stack (in-process broker, H2, file KV store,
            in-process cache), keeping its state under ./data.

            validate checks every title file (TITLES_DIR, default DIR/titles) as gamewire
            would at start and prints each problem as file:line:column: field: message;
            the exit status is 1 when there is any.

            docs writes, per title, a Markdown page for game and web developers and an
            OpenAPI 3 document of its HTTP endpoints into --out DIR.

            pull runs one of a title file's pulls now in the running gamewire (its admin
            API), printing progress (pages, items, rate) until the run ends; --since VALUE
            makes it a backfill from that watermark instead of the stored one (the stored
            watermark never moves backwards). The run goes on if the command is interrupted.
            Exit status 0 when the run succeeded or the API answered 304, 1 when it failed,
            was refused (unknown pull, already running) or gamewire could not be reached.

            pulls lists every pull of the running gamewire: schedule, whether it is scheduled
            and running there, breaker, watermark, last run and last error.

            Both find gamewire at http://gamewire.http.host:gamewire.http.port of the same
            configuration (--config, --profile, --set, environment) unless --url says
            otherwise, and authenticate with gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN).

            Options:
              -c, --config DIR        folder with application.properties and titles/
                                      (default ./config; environment GAMEWIRE_CONFIG_DIR)
              -p, --profile NAME      also load DIR/application-NAME.properties over the
                                      defaults; 'prod' runs on RabbitMQ, MySQL/MariaDB,
                                      Redis and memcached (environment GAMEWIRE_PROFILE)
              -s, --set KEY=VALUE     override one property, e.g. --set gamewire.http.port=9090
                                      (repeatable)
              -o, --out DIR           where docs writes its files
                  --since VALUE       pull: backfill from this watermark (a timestamp or id,
                                      as the pull's watermark kind)
                  --url URL           pull, pulls: the running gamewire's base URL
              -h, --help              print this help and exit
              -V, --version           print the version and exit

            Precedence, highest first: --set, environment variables (gamewire.http.port is
            GAMEWIRE_HTTP_PORT), application-NAME.properties, application.properties,
            the defaults built into the jar.

            Endpoints (defaults): HTTP API and /observe/{health,metrics} on 127.0.0.1:8080,
            embedded AMQP broker on 127.0.0.1:5673.

            Exit status: 0 after a normal stop, 1 when it cannot start (or validate found
            problems), 2 on a usage error.
            """;

    /** Parses {@code args}; {@code env} supplies GAMEWIRE_CONFIG_DIR and GAMEWIRE_PROFILE. */
    public static CommandLine parse(String[] args, Map<String, String> env) {
        Command command = Command.RUN;
        boolean help = false;
        boolean version = false;
        String config = null;
        String target = null;
        String profile = null;
        String since = null;
        String url = null;
        List<String> operands = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "run", "validate", "docs", "pull", "pulls" -> {
                    if (i != 0) {
                        if (command == Command.PULL && !arg.startsWith("-")) {
                            operands.add(arg);
                            continue;
                        }
                        throw new UsageException("'" + arg + "' must come first");
                    }
                    command = Command.valueOf(arg.toUpperCase(java.util.Locale.ROOT));
                }
                case "--since" -> since = value(args, ++i, arg);
                case "--url" -> url = value(args, ++i, arg);
                case "-o", "--out" -> target = value(args, ++i, arg);
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "-c", "--config" -> config = value(args, ++i, arg);
                case "-p", "--profile" -> profile = value(args, ++i, arg);
                case "-s", "--set" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException(arg + " takes KEY=VALUE, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
                default -> {
                    if (command == Command.VALIDATE && target == null && !arg.startsWith("-")) {
                        target = arg;
                    } else if (command == Command.PULL && !arg.startsWith("-")) {
                        operands.add(arg);
                    } else {
                        throw new UsageException("unknown argument '" + arg + "'");
                    }
                }
            }
        }
        boolean configGiven = config != null || env.get("GAMEWIRE_CONFIG_DIR") != null;
        if (config == null) {
            config = env.getOrDefault("GAMEWIRE_CONFIG_DIR", "config");
        }
        if (profile == null) {
            profile = env.get("GAMEWIRE_PROFILE");
        }
        if (profile != null && !profile.matches("[a-z0-9_-]{1,32}")) {
            throw new UsageException("profile '" + profile + "' must be 1 to 32 characters of [a-z0-9_-]");
        }
        if (command == Command.DOCS && target == null && !help) {
            throw new UsageException("docs needs --out DIR");
        }
        if (command == Command.PULL && operands.size() != 2 && !help) {
            throw new UsageException("pull needs TITLE and PULL, e.g. 'pull kart race-results'"
                    + (operands.isEmpty() ? "" : ", got '" + String.join(" ", operands) + "'"));
        }
        if (since != null && command != Command.PULL) {
            throw new UsageException("--since belongs to pull");
        }
        if (url != null && command != Command.PULL && command != Command.PULLS) {
            throw new UsageException("--url belongs to pull and pulls");
        }
        if (url != null && !url.matches("https?://[^/\\s]+/?")) {
            throw new UsageException("--url must be a base URL such as http://127.0.0.1:8080, got '" + url + "'");
        }
        return new CommandLine(command, help, version, Path.of(config), configGiven, profile, Map.copyOf(overrides),
                target == null ? null : Path.of(target), List.copyOf(operands), since, url);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("-")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }
}

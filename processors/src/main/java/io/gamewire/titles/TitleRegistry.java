package io.gamewire.titles;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The titles gamewire serves, read from {@code config/titles/*.yaml} and re-read on {@link #reload()}.
 *
 * <p>Each file stands alone: a file with problems is refused and logged with every problem, and
 * the last good version of that title keeps running; the other titles are not touched. A title
 * whose file is unchanged is not re-applied. Changes reach the running application through the
 * {@link Applier}, which may refuse them too (a table change that would lose data).
 */
public final class TitleRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TitleRegistry.class);

    /**
     * Makes a title's definition real, in two steps so that nothing reads a title before it is in
     * force: {@link #apply} prepares what the title needs (tables, queues) and may refuse it; only
     * once the new definition is in force ({@link #titles()}, {@link #commandToStore}) does
     * {@link #inForce} start what reads it (consumers, pulls).
     */
    public interface Applier {
        /** Prepares {@code next} in place of {@code previous} (null for a new title); throws to refuse. */
        void apply(TitleDefinition previous, TitleDefinition next) throws Exception;

        /**
         * Starts what works from {@code next}, now in force: called after {@link #apply} for every
         * title of a reload, once {@link #titles()} has them all. A failure here is logged and
         * reported; the title stays in force (its events wait in their queues).
         */
        default void inForce(TitleDefinition previous, TitleDefinition next) throws Exception {
        }

        /**
         * Called at every reload for each title in force that did not change: starts again what
         * should run from it and does not (a consumer whose start failed before). Must be cheap
         * and repeatable; failures are the applier's to log.
         */
        default void keepRunning(TitleDefinition title) {
        }

        /** Takes a title out: its consumers drain and stop. */
        void remove(TitleDefinition previous) throws Exception;
    }

    /** What a reload did, for logs and tests. */
    public record Report(List<String> added, List<String> changed, List<String> removed, List<Problem> problems,
                         List<String> refused) {
        public boolean changedAnything() {
            return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
        }
    }

    private record Parsed(String sha256, TitleFileParser.Result result) {
    }

    private final Path dir;
    private final TitleFileParser parser = new TitleFileParser();
    private final Applier applier;
    private final Map<Path, Parsed> parsedFiles = new HashMap<>();
    private final Map<String, String> refusedVersions = new HashMap<>();
    /**
     * What is in force, replaced whole by each reload so that a reader never mixes two reloads.
     *
     * @param titles    the titles in force, by name
     * @param unsettled why a title's file is not in force as written, by title (the file name's
     *                  stem when the file cannot be parsed): a file with problems, or a version the
     *                  applier refused; its last good version, if any, stays in force meanwhile
     * @param loaded    whether the titles of the first reload are in force
     */
    private record InForce(Map<String, TitleDefinition> titles, Map<String, String> unsettled, boolean loaded) {
    }

    private volatile InForce inForce = new InForce(Map.of(), Map.of(), false);
    private volatile ApiKeyRing keys = ApiKeyRing.of(List.of(), System::getenv);

    public TitleRegistry(Path dir, Applier applier) {
        this.dir = dir;
        this.applier = applier;
    }

    public Path dir() {
        return dir;
    }

    /** The API keys of the titles in force; rebuilt at every reload that changed a title. */
    public ApiKeyRing keys() {
        return keys;
    }

    /** The titles in force, by name. */
    public Map<String, TitleDefinition> titles() {
        return inForce.titles();
    }

    /** The command a routing key addresses, if its title, environment, service and command exist. */
    public Optional<CommandDefinition> command(RoutingKey key) {
        return service(key).map(service -> service.commands().get(key.command()));
    }

    /**
     * The command a routing key addresses.
     *
     * @throws UnknownRoutingKeyException naming the first part that does not exist, and what does
     */
    public CommandDefinition resolve(RoutingKey key) {
        Map<String, TitleDefinition> titles = inForce.titles();
        TitleDefinition title = titles.get(key.title());
        if (title == null) {
            throw new UnknownRoutingKeyException("no title '" + key.title() + "' (titles: "
                    + String.join(", ", titles.keySet().stream().sorted().toList()) + ")");
        }
        if (!title.environments().contains(key.env())) {
            throw new UnknownRoutingKeyException("title '" + key.title() + "' has no environment '" + key.env()
                    + "' (environments: " + String.join(", ", title.environments()) + ")");
        }
        ServiceDefinition service = title.services().get(key.service());
        if (service == null) {
            throw new UnknownRoutingKeyException("title '" + key.title() + "' has no service '" + key.service()
                    + "' (services: " + String.join(", ", title.services().keySet()) + ")");
        }
        CommandDefinition command = service.commands().get(key.command());
        if (command == null) {
            throw new UnknownRoutingKeyException("service '" + key.serviceKey() + "' has no command '" + key.command()
                    + "' (commands: " + String.join(", ", service.commands().keySet()) + ")");
        }
        return command;
    }

    /** A routing key whose title, environment, service or command is not defined. */
    public static class UnknownRoutingKeyException extends RuntimeException {
        public UnknownRoutingKeyException(String message) {
            super(message);
        }
    }

    /** The service a routing key addresses, if its title, environment and service exist. */
    public Optional<ServiceDefinition> service(RoutingKey key) {
        return service(inForce.titles(), key);
    }

    private static Optional<ServiceDefinition> service(Map<String, TitleDefinition> titles, RoutingKey key) {
        TitleDefinition title = titles.get(key.title());
        if (title == null || !title.environments().contains(key.env())) {
            return Optional.empty();
        }
        return Optional.ofNullable(title.services().get(key.service()));
    }

    /** Whether the titles of the first load of the folder are in force. */
    public boolean loaded() {
        return inForce.loaded();
    }

    /**
     * The command whose sinks a consumer writes an event of {@code key} to, under the rule that an
     * event is never stored without the sinks its command declares:
     *
     * @throws TitleNotInForceException while the titles are still being loaded, while the title,
     *         its environment or its service is not in force (its queue keeps the event), or while
     *         the title's file has problems (the command may be what is being fixed): the event goes
     *         back to its queue
     * @throws CommandNotDefinedException when the title is in force as its file says and defines
     *         no such command (any more): the event is dead-lettered, with this reason
     */
    public CommandDefinition commandToStore(RoutingKey key) {
        InForce now = inForce; // one reload's view throughout
        if (!now.loaded()) {
            throw new TitleNotInForceException("the title files of " + dir + " are still being loaded; "
                    + key + " goes back to its queue");
        }
        TitleDefinition title = now.titles().get(key.title());
        String problem = now.unsettled().get(key.title());
        if (title == null) {
            throw new TitleNotInForceException("title '" + key.title() + "' is not in force ("
                    + (problem != null ? problem : "no file in " + dir + " defines it") + "); " + key
                    + " stays queued");
        }
        ServiceDefinition service = service(now.titles(), key).orElse(null);
        if (service == null) {
            throw new TitleNotInForceException("service " + key.serviceKey() + " is not in force (title file "
                    + title.file() + "); " + key + " stays queued");
        }
        CommandDefinition command = service.commands().get(key.command());
        if (command != null) {
            return command;
        }
        if (problem != null) {
            throw new TitleNotInForceException("title '" + key.title() + "' defines no command '" + key.command()
                    + "' in its version in force, and its file is not in force as written (" + problem + "); "
                    + key + " goes back to its queue until the file is fixed");
        }
        throw new CommandNotDefinedException("routing key " + key + ": no title defines it: title file "
                + title.file() + " has no command '" + key.command() + "' in service '" + key.service()
                + "' (commands: " + String.join(", ", service.commands().keySet()) + ")");
    }

    /** Reads the folder again and applies what changed. Never throws for a bad file. */
    public synchronized Report reload() {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, TitleDefinition> titles = inForce.titles();
        Map<String, TitleDefinition> next = new LinkedHashMap<>(titles);
        Map<String, Path> seen = new HashMap<>();
        Map<String, String> notAsWritten = new HashMap<>();
        List<TitleDefinition[]> applied = new ArrayList<>();

        for (Path file : files()) {
            TitleFileParser.Result result = parse(file);
            if (!result.ok()) {
                problems.addAll(result.problems());
                String name = titleName(file);
                seen.putIfAbsent(name, file);
                notAsWritten.putIfAbsent(name, "its file has problems: " + result.problems().get(0));
                continue;
            }
            TitleDefinition definition = result.definition();
            Path other = seen.putIfAbsent(definition.title(), file);
            if (other != null) {
                Problem duplicate = new Problem(file, 1, 1, "title", "title '" + definition.title()
                        + "' is also defined in " + other + "; the second file is refused");
                problems.add(duplicate);
                LOG.error("Title file refused: {}", duplicate);
                continue;
            }
            TitleDefinition previous = titles.get(definition.title());
            if (definition.equals(previous)) {
                continue;
            }
            String version = parsedFiles.get(file).sha256();
            if (version.equals(refusedVersions.get(definition.title()))) {
                refused.add("title " + definition.title() + " (" + file + ") is still refused");
                notAsWritten.put(definition.title(), "its file " + file + " was refused");
                continue;
            }
            try {
                applier.apply(previous, definition);
                applied.add(new TitleDefinition[] {previous, definition});
                next.put(definition.title(), definition);
                refusedVersions.remove(definition.title());
                (previous == null ? added : changed).add(definition.title());
                LOG.info("Title {} {} from {}", definition.title(), previous == null ? "added" : "changed", file);
            } catch (Exception e) {
                String reason = "title " + definition.title() + " (" + file + ") refused: " + e.getMessage();
                refused.add(reason);
                // a refused version is not tried again until its file changes
                refusedVersions.put(definition.title(), version);
                notAsWritten.put(definition.title(), "its file " + file + " was refused: " + e.getMessage());
                LOG.error("{}; the last good version stays", reason, e);
            }
        }
        for (TitleDefinition previous : titles.values()) {
            if (!seen.containsKey(previous.title())) {
                try {
                    applier.remove(previous);
                    next.remove(previous.title());
                    removed.add(previous.title());
                    LOG.info("Title {} removed: its file {} is gone", previous.title(), previous.file());
                } catch (Exception e) {
                    refused.add("removing title " + previous.title() + " failed: " + e.getMessage());
                    LOG.error("Removing title {} failed", previous.title(), e);
                }
            }
        }
        Map<String, TitleDefinition> nowInForce = Map.copyOf(next);
        if (!added.isEmpty() || !changed.isEmpty() || !removed.isEmpty()) {
            // keys first: whoever sees a title in titles() also finds its keys
            keys = ApiKeyRing.of(nowInForce.values(), System::getenv);
        }
        inForce = new InForce(nowInForce, Map.copyOf(notAsWritten), true);
        // only now, with every title of this load in force, does anything start reading them: a
        // consumer started earlier would meet commands it cannot find yet
        Set<String> appliedNow = new HashSet<>();
        for (TitleDefinition[] title : applied) {
            appliedNow.add(title[1].title());
            try {
                applier.inForce(title[0], title[1]);
            } catch (Exception e) {
                String reason = "title " + title[1].title() + " is in force but not all its consumers or pulls started: "
                        + e.getMessage();
                refused.add(reason);
                LOG.error("{}; its events wait in their queues, and the next reload starts them again", reason, e);
            }
        }
        for (TitleDefinition title : nowInForce.values()) {
            if (!appliedNow.contains(title.title())) {
                applier.keepRunning(title);
            }
        }
        return new Report(added, changed, removed, problems, refused);
    }

    /** Parses a file, or reuses the last result when its bytes have not changed. */
    private TitleFileParser.Result parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new TitleFileParser.Result(file, null,
                    List.of(new Problem(file, 1, 1, "", "cannot read the file: " + e.getMessage())));
        }
        String sha256 = sha256(bytes);
        Parsed last = parsedFiles.get(file);
        if (last != null && last.sha256().equals(sha256)) {
            return last.result();
        }
        TitleFileParser.Result result = parser.parse(file, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        parsedFiles.put(file, new Parsed(sha256, result));
        // logged once per version of the file, not at every poll
        result.problems().forEach(p -> LOG.error("Title file refused, the last good version stays: {}", p));
        return result;
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = list.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml"))
                    .filter(Files::isRegularFile).sorted().toList();
            parsedFiles.keySet().retainAll(files);
            return files;
        } catch (IOException e) {
            LOG.error("Cannot list title files in {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    private static String titleName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

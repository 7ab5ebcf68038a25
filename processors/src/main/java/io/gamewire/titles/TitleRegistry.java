package io.gamewire.titles;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final Logger LOG = LoggerFactory.getLogger(TitleRegistry.class);

    private final Path dir;
    private final TitleFolder folder;
    private final Applier applier;
    /** The versions (SHA-256) of title files the applier refused, by title: not tried again. */
    private final Map<String, String> refusedVersions = new HashMap<>();
    /** The cross-title table problems of the last reload, logged when they first came. */
    private Set<Problem> loggedConflicts = Set.of();
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
        this.folder = new TitleFolder(dir);
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

    /**
     * Why a title's file is not in force as written, by title (the file name's stem when the file
     * cannot be parsed): its problems, or why the applier refused it. Its last good version, if
     * any, stays in {@link #titles()} meanwhile.
     */
    public Map<String, String> notInForceAsWritten() {
        return inForce.unsettled();
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

    /** Logs the problems of a reload the last one did not have: not once per poll. */
    private void logNew(Collection<Problem> problems) {
        Set<Problem> now = Set.copyOf(problems);
        now.stream().filter(problem -> !loggedConflicts.contains(problem))
                .forEach(problem -> LOG.error("Title file refused, the last good version stays: {}", problem));
        loggedConflicts = now;
    }

    /** Reads the folder again and applies what changed. Never throws for a bad file. */
    public synchronized Report reload() {
        Map<Path, TitleFolder.Parsed> files = new LinkedHashMap<>();
        folder.files().forEach(file -> files.put(file, folder.parse(file)));
        Map<String, Problem> tableConflicts = ReloadTableChecks.refused(inForce.titles(), files, refusedVersions);
        logNew(tableConflicts.values());
        TitleReload reload = new TitleReload(inForce.titles(), applier, refusedVersions, tableConflicts);
        files.forEach(reload::read);
        reload.removeGone();
        Map<String, TitleDefinition> nowInForce = Map.copyOf(reload.next());
        if (reload.changedAnything()) {
            // keys first: whoever sees a title in titles() also finds its keys
            keys = ApiKeyRing.of(nowInForce.values(), System::getenv);
        }
        inForce = new InForce(nowInForce, Map.copyOf(reload.notAsWritten()), true);
        // only now, with every title of this load in force, does anything start reading them: a
        // consumer started earlier would meet commands it cannot find yet
        reload.start(nowInForce);
        return reload.report();
    }
}

package io.gamewire.titles;

import io.gamewire.titles.TitleRegistry.Applier;
import io.gamewire.titles.TitleRegistry.Report;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link TitleRegistry#reload()} under way: what it applied, refused and removed so far, file
 * by file. The registry puts the outcome in force between {@link #removeGone} and {@link #start},
 * so that what starts reading a title finds every title of this reload.
 */
final class TitleReload {

    /** The registry's: operators know what a reload did by that name. */
    private static final Logger LOG = LoggerFactory.getLogger(TitleRegistry.class);

    /** A title this reload applied, with the version it replaces (null for a new title). */
    private record Applied(TitleDefinition previous, TitleDefinition next) {
    }

    private final Map<String, TitleDefinition> titles;
    private final Applier applier;
    private final Map<String, String> refusedVersions;
    private final Map<String, Problem> tableConflicts;
    private final List<String> added = new ArrayList<>();
    private final List<String> changed = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final Map<String, TitleDefinition> next;
    /** The file of each title met so far, good or not: a title no file names any more is removed. */
    private final Map<String, Path> seen = new HashMap<>();
    private final Map<String, String> notAsWritten = new HashMap<>();
    private final List<Applied> applied = new ArrayList<>();

    /**
     * @param titles          the titles in force when the reload began
     * @param refusedVersions the registry's versions (SHA-256) the applier refused, by title, kept
     *                        across reloads and updated by this one
     * @param tableConflicts  the new or changed titles {@link ReloadTableChecks} refuses, by title
     */
    TitleReload(Map<String, TitleDefinition> titles, Applier applier, Map<String, String> refusedVersions,
                Map<String, Problem> tableConflicts) {
        this.titles = titles;
        this.applier = applier;
        this.refusedVersions = refusedVersions;
        this.tableConflicts = tableConflicts;
        this.next = new LinkedHashMap<>(titles);
    }

    /** Takes in one file of the folder: applies its title if it is good and new or changed. */
    void read(Path file, TitleFolder.Parsed parsed) {
        TitleFileParser.Result result = parsed.result();
        if (!result.ok()) {
            keepLastGood(file, result);
            return;
        }
        TitleDefinition definition = result.definition();
        if (isDefinedTwice(definition, file)) {
            return;
        }
        TitleDefinition previous = titles.get(definition.title());
        if (definition.equals(previous)) {
            return;
        }
        Problem tableConflict = tableConflicts.get(definition.title());
        if (tableConflict != null) {
            // not kept as a refused version: the other title's file may change back
            problems.add(tableConflict);
            notAsWritten.put(definition.title(), "its file " + file + " was refused: " + tableConflict.message());
            return;
        }
        String version = parsed.version();
        if (version.equals(refusedVersions.get(definition.title()))) {
            refused.add("title " + definition.title() + " (" + file + ") is still refused");
            notAsWritten.put(definition.title(), "its file " + file + " was refused");
            return;
        }
        apply(previous, definition, file, version);
    }

    private void keepLastGood(Path file, TitleFileParser.Result result) {
        problems.addAll(result.problems());
        String name = TitleFolder.titleName(file);
        seen.putIfAbsent(name, file);
        notAsWritten.putIfAbsent(name, "its file has problems: " + result.problems().get(0));
    }

    private boolean isDefinedTwice(TitleDefinition definition, Path file) {
        Path other = seen.putIfAbsent(definition.title(), file);
        if (other == null) {
            return false;
        }
        Problem duplicate = new Problem(file, 1, 1, "title", "title '" + definition.title()
                + "' is also defined in " + other + "; the second file is refused");
        problems.add(duplicate);
        LOG.error("Title file refused: {}", duplicate);
        return true;
    }

    private void apply(TitleDefinition previous, TitleDefinition definition, Path file, String version) {
        try {
            applier.apply(previous, definition);
            applied.add(new Applied(previous, definition));
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

    /** Takes out the titles in force whose file is gone; called once every file is read. */
    void removeGone() {
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
    }

    boolean changedAnything() {
        return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
    }

    /** The titles to be in force after this reload. */
    Map<String, TitleDefinition> next() {
        return next;
    }

    /** Why a title's file is not in force as written, by title. */
    Map<String, String> notAsWritten() {
        return notAsWritten;
    }

    /**
     * Starts what reads the titles this reload applied, and keeps running what reads the others;
     * called once {@code nowInForce} is in force.
     */
    void start(Map<String, TitleDefinition> nowInForce) {
        Set<String> appliedNow = new HashSet<>();
        for (Applied title : applied) {
            appliedNow.add(title.next().title());
            try {
                applier.inForce(title.previous(), title.next());
            } catch (Exception e) {
                String reason = "title " + title.next().title() + " is in force but not all its consumers or pulls"
                        + " started: " + e.getMessage();
                refused.add(reason);
                LOG.error("{}; its events wait in their queues, and the next reload starts them again", reason, e);
            }
        }
        for (TitleDefinition title : nowInForce.values()) {
            if (!appliedNow.contains(title.title())) {
                applier.keepRunning(title);
            }
        }
    }

    Report report() {
        return new Report(added, changed, removed, problems, refused);
    }
}

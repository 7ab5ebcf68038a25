package io.gamewire.pulls;

import io.gamewire.camel.NamedThreads;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.Service;

/**
 * The registry of manual runs: starts each run asked for by hand on its own threads through
 * {@link PullRunner}, and keeps its {@link ManualPullRun} record, the last {@value #KEPT} of them,
 * so the admin API can answer at once with an id and the CLI can poll {@link #find} for progress. A
 * run that is waiting for a thread counts as queued.
 *
 * <p>Two runs of one pull never overlap: a pull with a manual run queued or running, or a
 * scheduled run in progress here, is refused with {@link PullBusyException}. (A scheduled run that
 * starts while a manual one runs is skipped by {@link PullRunner}.)
 */
public final class ManualPullRuns implements Service {

    static final int KEPT = 100;

    private final PullRunner runner;
    private final Supplier<Map<String, TitleDefinition>> titles;
    private final Clock clock;
    private final ExecutorService threads;
    // insertion order: the oldest finished runs are dropped first
    private final Map<String, ManualPullRun> runs = new LinkedHashMap<>();

    /** A pull the title files do not define. */
    public static final class UnknownPullException extends RuntimeException {
        UnknownPullException(String message) {
            super(message);
        }
    }

    /** A pull that is being run already. */
    public static final class PullBusyException extends RuntimeException {
        PullBusyException(String message) {
            super(message);
        }
    }

    /** A run that cannot be made as asked: a {@code since} the pull has no use for, or cannot read. */
    public static final class BadRunException extends RuntimeException {
        BadRunException(String message) {
            super(message);
        }
    }

    /**
     * @param runner  runs the pulls
     * @param titles  the loaded title files, read per request: a pull added a moment ago can be run
     * @param threads manual runs at once; more wait
     */
    public ManualPullRuns(PullRunner runner, Supplier<Map<String, TitleDefinition>> titles, int threads, Clock clock) {
        this(runner, titles, threads, clock, NamedThreads.PLAIN);
    }

    /** @param namedThreads where the runs' threads come from ({@link NamedThreads#of} in the application) */
    public ManualPullRuns(PullRunner runner, Supplier<Map<String, TitleDefinition>> titles, int threads, Clock clock,
                          NamedThreads namedThreads) {
        this.runner = runner;
        this.titles = titles;
        this.clock = clock;
        this.threads = Executors.newFixedThreadPool(Math.max(1, threads), namedThreads.factory("gamewire-pull-manual"));
    }

    /**
     * Queues a run of {@code pull} of {@code title}: from {@code since} (a backfill) or, when null or
     * empty, from the stored watermark. A manual run goes ahead even while the pull's circuit
     * breaker is open.
     *
     * @throws UnknownPullException when no title file defines that pull
     * @throws PullBusyException    when that pull is queued or running already
     * @throws BadRunException      when {@code since} is given for a pull without a watermark
     *                              parameter, or is no timestamp for a timestamp watermark
     */
    public synchronized ManualPullRun start(String title, String pull, String since) {
        PullDefinition definition = definition(title, pull);
        if (since != null && !since.isEmpty()) {
            checkSince(title, definition, since);
        }
        for (ManualPullRun run : runs.values()) {
            if (run.title().equals(title) && run.pull().equals(pull) && run.status() != ManualPullRun.Status.DONE) {
                throw new PullBusyException("pull " + title + "/" + pull + " is being run already (run "
                        + run.id() + ", " + run.status().tag() + ")");
            }
        }
        if (runner.running(title, pull)) {
            throw new PullBusyException("pull " + title + "/" + pull + " is being run already by its schedule");
        }
        ManualPullRun run = new ManualPullRun(UUID.randomUUID().toString(), title, pull,
                since == null || since.isEmpty() ? null : since, clock.instant());
        runs.put(run.id(), run);
        dropOldest();
        threads.execute(() -> {
            run.started();
            RunOptions options = run.since() == null ? RunOptions.manual(run) : RunOptions.backfill(run.since(), run);
            run.finished(runner.run(title, definition, options));
        });
        return run;
    }

    /** A run started here, while it is among the last {@value #KEPT}. */
    public synchronized Optional<ManualPullRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** Every pull the title files define, by title then name. */
    public List<Map.Entry<String, PullDefinition>> pulls() {
        List<Map.Entry<String, PullDefinition>> all = new ArrayList<>();
        titles.get().values().stream()
                .sorted(java.util.Comparator.comparing(TitleDefinition::title))
                .forEach(title -> title.pulls().values().stream()
                        .sorted(java.util.Comparator.comparing(PullDefinition::name))
                        .forEach(pull -> all.add(Map.entry(title.title(), pull))));
        return all;
    }

    private PullDefinition definition(String title, String pull) {
        TitleDefinition definition = titles.get().get(title);
        if (definition == null) {
            throw new UnknownPullException("no title file defines the title '" + title + "'");
        }
        PullDefinition found = definition.pulls().get(pull);
        if (found == null) {
            throw new UnknownPullException("title " + title + " has no pull '" + pull + "'"
                    + (definition.pulls().isEmpty() ? " (it has no pulls)"
                    : " (its pulls: " + String.join(", ", definition.pulls().keySet().stream().sorted().toList()) + ")"));
        }
        return found;
    }

    /** A backfill's start must be something the pull sends, and of its watermark's kind. */
    private static void checkSince(String title, PullDefinition pull, String since) {
        PullDefinition.Watermark mark = pull.watermark();
        if (mark == null || mark.param() == null) {
            throw new BadRunException("pull " + title + "/" + pull.name() + " sends no watermark parameter"
                    + " (watermark.param in its title file), so a backfill has nothing to start from; run it"
                    + " without since");
        }
        if (mark.kind() == PullDefinition.WatermarkKind.TIMESTAMP && Watermarks.instant(since) == null
                && !since.matches("\\d{1,12}")) {
            throw new BadRunException("since '" + since + "' is not a timestamp, which the watermark of pull "
                    + title + "/" + pull.name() + " is: give an ISO-8601 date or time such as"
                    + " 2026-01-01T00:00:00Z, or epoch seconds");
        }
    }

    /** Keeps at most {@value #KEPT} runs, dropping the oldest finished ones. */
    private void dropOldest() {
        var entries = runs.entrySet().iterator();
        while (runs.size() > KEPT && entries.hasNext()) {
            if (entries.next().getValue().status() == ManualPullRun.Status.DONE) {
                entries.remove();
            }
        }
    }

    @Override
    public void start() {
        // the threads start with the first run
    }

    /** Interrupts runs in progress: they fail with "interrupted", their watermark at the last confirmed page. */
    @Override
    public void stop() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

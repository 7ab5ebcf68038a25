package io.gamewire.cli;

import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.Settings;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code gamewire pull} and {@code gamewire pulls}: clients of a running gamewire's pull admin API.
 * {@code pull} starts a run and polls it, printing a progress line whenever a page was done (at
 * most one per {@link #poll} unless a page finished) and the run's summary at the end.
 */
public final class PullCommands {

    /** How many failed polls in a row end the command (gamewire stopped, say). */
    private static final int MAX_FAILED_POLLS = 5;

    private final AdminClient admin;
    /** How often a followed run's progress is read. */
    static final Duration POLL = Duration.ofMillis(500);

    private final PrintStream out;
    private final PrintStream err;
    private final Duration poll;

    PullCommands(AdminClient admin, PrintStream out, PrintStream err, Duration poll) {
        this.admin = admin;
        this.out = out;
        this.err = err;
        this.poll = poll;
    }

    /** Runs a pull and follows it to the end; the exit status. */
    public int run(String title, String pull, String since) {
        ObjectNode request = SharedJson.MAPPER.createObjectNode();
        if (since != null) {
            request.put("since", since);
        }
        JsonNode run;
        try {
            run = admin.post(AdminPaths.pullRuns(title, pull), request);
        } catch (AdminClient.AdminException e) {
            err.println("gamewire pull: " + e.getMessage());
            return 1;
        }
        String id = run.path("id").asText();
        out.println("pull " + title + "/" + pull + ": run " + id + " started on " + admin.base()
                + (since == null ? "" : ", backfill since " + since));
        int shownPages = -1;
        long shownAt = 0;
        int failedPolls = 0;
        while (!run.path("status").asText().equals("done")) {
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("gamewire pull: interrupted; run " + id + " goes on in gamewire");
                return 1;
            }
            try {
                run = admin.get("v1/admin/pulls/runs/" + id);
                failedPolls = 0;
            } catch (AdminClient.AdminException e) {
                if (++failedPolls >= MAX_FAILED_POLLS) {
                    err.println("gamewire pull: lost run " + id + ": " + e.getMessage());
                    return 1;
                }
                continue;
            }
            int pages = run.path("pages").asInt();
            long now = System.nanoTime();
            boolean quietTooLong = now - shownAt > Duration.ofSeconds(5).toNanos();
            if (!run.path("status").asText().equals("done") && (pages != shownPages || quietTooLong)) {
                out.println(progress(run));
                shownPages = pages;
                shownAt = now;
            }
        }
        String outcome = run.path("outcome").asText();
        boolean succeeded = outcome.equals("ok") || outcome.equals("not_modified");
        (succeeded ? out : err).println(run.path("summary").asText() + " (" + rate(run) + ")");
        return succeeded ? 0 : 1;
    }

    /** Lists the pulls; the exit status. */
    public int list() {
        JsonNode answer;
        try {
            answer = admin.get("v1/admin/pulls");
        } catch (AdminClient.AdminException e) {
            err.println("gamewire pulls: " + e.getMessage());
            return 1;
        }
        if (answer.path("pulls").isEmpty()) {
            out.println("no title file of " + admin.base() + " defines a pull");
            return 0;
        }
        for (JsonNode pull : answer.path("pulls")) {
            out.println(pull.path("title").asText() + "/" + pull.path("pull").asText() + "  "
                    + pull.path("schedule").asText()
                    + (pull.path("scheduled").asBoolean() ? "" : " (not scheduled here)")
                    + (pull.path("running").asBoolean() ? ", running" : "")
                    + ", breaker " + pull.path("breaker").asText()
                    + ", watermark " + pull.path("watermark").asText("none")
                    + ", last run " + pull.path("lastRunAt").asText("never")
                    + (pull.hasNonNull("lastError") ? ", last error: " + pull.get("lastError").asText() : ""));
        }
        return 0;
    }

    /** {@code  page 3: 300 items, 280 published, 150 items/s, 2.0 s}; queued runs say so. */
    static String progress(JsonNode run) {
        if (run.path("status").asText().equals("queued")) {
            return "  queued: waiting for a free pull thread";
        }
        return "  page " + run.path("pages").asInt() + ": " + run.path("items").asLong() + " items, "
                + run.path("published").asLong() + " published, " + rate(run);
    }

    private static String rate(JsonNode run) {
        long millis = run.path("elapsedMs").asLong();
        double seconds = millis / 1000.0;
        double perSecond = millis == 0 ? 0 : run.path("items").asLong() / seconds;
        return String.format(Locale.ROOT, "%.0f items/s, %.1f s", perSecond, seconds);
    }
}

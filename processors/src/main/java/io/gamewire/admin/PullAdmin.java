package io.gamewire.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.pulls.ManualPullRun;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.pulls.PullResult;
import io.gamewire.pulls.PullRunner;
import io.gamewire.pulls.PullState;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.PullDefinition;
import java.io.IOException;
import java.util.Map;
import java.util.function.BiPredicate;
import org.apache.camel.Processor;

/**
 * The steps of the admin API of pulls, each after {@link AdminAuthorization}; the
 * {@code gamewire pull} and {@code gamewire pulls} commands are its client:
 * <ul>
 *   <li>{@link #list()}, {@code GET /v1/admin/pulls}: every pull of the loaded title files, whether
 *       it is scheduled here, running, its breaker, and its stored state (watermark, last run, last
 *       error);</li>
 *   <li>{@link #startRun()}, {@code POST /v1/admin/pulls/{title}/{pull}/runs}, body
 *       {@code {"since": "..."}} or none: runs the pull now (a backfill from {@code since}),
 *       answering 202 with the run and its {@code Location}; 400 for a {@code since} the pull cannot
 *       use, 404 for an unknown pull, 409 while it runs already;</li>
 *   <li>{@link #runStatus()}, {@code GET /v1/admin/pulls/runs/{id}}: that run's progress (pages,
 *       items, published, elapsed) and, once done, its outcome.</li>
 * </ul>
 */
public final class PullAdmin {

    /** Where a manual run's status is read. */
    public static final String RUNS_PATH = "/v1/admin/pulls/runs/";

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final ManualPullRuns runs;
    private final PullRunner runner;
    private final BiPredicate<String, String> scheduled;

    /** @param scheduled whether a title's pull has its scheduled route on this instance */
    public PullAdmin(ObjectMapper json, TitleRegistry titles, ManualPullRuns runs, PullRunner runner,
                     BiPredicate<String, String> scheduled) {
        this.json = json;
        this.titles = titles;
        this.runs = runs;
        this.runner = runner;
        this.scheduled = scheduled;
    }

    public Processor list() {
        return exchange -> {
            ArrayNode list = json.createArrayNode();
            for (Map.Entry<String, PullDefinition> entry : runs.pulls()) {
                list.add(describe(entry.getKey(), entry.getValue()));
            }
            ObjectNode body = json.createObjectNode().put("count", list.size());
            body.set("pulls", list);
            AdminRequests.answer(exchange, 200, body);
        };
    }

    public Processor startRun() {
        return exchange -> {
            AdminRequests.requireTitlesLoaded(titles);
            String since = since(exchange.getMessage().getBody(byte[].class));
            ManualPullRun run;
            try {
                run = runs.start(exchange.getMessage().getHeader("title", String.class),
                        exchange.getMessage().getHeader("pull", String.class), since);
            } catch (ManualPullRuns.UnknownPullException e) {
                throw new RequestRefusedException(404, e.getMessage());
            } catch (ManualPullRuns.BadRunException e) {
                throw new RequestRefusedException(400, e.getMessage());
            } catch (ManualPullRuns.PullBusyException e) {
                throw new RequestRefusedException(409, e.getMessage());
            }
            AdminRequests.answer(exchange, 202, runJson(run));
            exchange.getMessage().setHeader("Location", RUNS_PATH + run.id());
        };
    }

    public Processor runStatus() {
        return exchange -> {
            String id = exchange.getMessage().getHeader("runId", String.class);
            ManualPullRun run = runs.find(id).orElseThrow(() -> new RequestRefusedException(404,
                    "no pull run '" + id + "' here: runs are kept in the instance that started them, the last "
                            + "100 of them, until it stops"));
            AdminRequests.answer(exchange, 200, runJson(run));
        };
    }

    private ObjectNode describe(String title, PullDefinition pull) {
        PullState state = runner.state(title, pull.name());
        ObjectNode node = json.createObjectNode()
                .put("title", title)
                .put("pull", pull.name())
                .put("schedule", pull.schedule().describe())
                .put("scheduled", scheduled.test(title, pull.name()))
                .put("running", runner.running(title, pull.name()))
                .put("breaker", runner.breakerState(title, pull.name()).name().toLowerCase(java.util.Locale.ROOT))
                .put("watermark", state.watermark())
                .put("lastRunAt", state.lastRunAt() == null ? null : state.lastRunAt().toString())
                .put("lastError", state.lastError());
        if (pull.description() != null) {
            node.put("description", pull.description());
        }
        return node;
    }

    /** The {@code since} of a run request's optional JSON body. */
    private String since(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RequestRefusedException(400, "the body must be JSON such as {\"since\": \"2026-01-01T00:00:00Z\"}: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RequestRefusedException(400, "the body could not be read: " + e.getMessage());
        }
        if (request == null || request.isNull() || request.isMissingNode()) {
            return null;
        }
        JsonNode since = request.path("since");
        if (!request.isObject() || !(since.isMissingNode() || since.isNull() || since.isValueNode())) {
            throw new RequestRefusedException(400, "the body must be an object whose 'since' is a string or number,"
                    + " such as {\"since\": \"2026-01-01T00:00:00Z\"}");
        }
        return since.isValueNode() ? since.asText() : null;
    }

    /** A manual run as JSON: the same shape while it runs and once it is done. */
    private ObjectNode runJson(ManualPullRun run) {
        ObjectNode node = json.createObjectNode()
                .put("id", run.id())
                .put("title", run.title())
                .put("pull", run.pull())
                .put("since", run.since())
                .put("status", run.status().tag())
                .put("requestedAt", run.requestedAt().toString())
                .put("pages", run.pages())
                .put("items", run.items())
                .put("published", run.published())
                .put("elapsedMs", run.elapsed().toMillis());
        PullResult result = run.result();
        if (result != null) {
            node.put("outcome", result.outcome().tag())
                    .put("duplicates", result.duplicatesSkipped())
                    .put("morePages", result.morePages())
                    .put("watermark", result.watermark())
                    .put("failure", result.failure())
                    .put("summary", result.summary());
        }
        return node;
    }
}

package io.gamewire.routes;

import io.gamewire.admin.AdminRequests;
import io.gamewire.titles.TitleRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.routes.HttpApiErrors;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.pulls.ManualPullRun;
import io.gamewire.pulls.ManualPullRuns;
import io.gamewire.deploy.PullDeployer;
import io.gamewire.pulls.PullResult;
import io.gamewire.pulls.PullRunner;
import io.gamewire.pulls.PullState;
import io.gamewire.config.Settings;
import io.gamewire.titles.model.PullDefinition;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The admin API of scheduled pulls, with the same bearer token as the rest of the admin API
 * ({@link AdminRoutes}); the {@code gamewire pull} command is its client:
 * <ul>
 *   <li>{@code GET /v1/admin/pulls}: every pull of the loaded title files, whether it is scheduled
 *       here, running, its breaker, and its stored state (watermark, last run, last error);</li>
 *   <li>{@code POST /v1/admin/pulls/{title}/{pull}/runs}, body {@code {"since": "..."}} or none:
 *       runs the pull now (a backfill from {@code since}), answering 202 with the run and its
 *       {@code Location}; 400 for a {@code since} the pull cannot use, 404 for an unknown pull,
 *       409 while it runs already;</li>
 *   <li>{@code GET /v1/admin/pulls/runs/{id}}: that run's progress (pages, items, published,
 *       elapsed) and, once done, its outcome.</li>
 * </ul>
 */
public class PullAdminRoutes extends RouteBuilder {

    static final String RUNS_PATH = "/v1/admin/pulls/runs/";

    @Override
    public void configure() {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        String token = settings.string("gamewire.admin.token");
        ObjectMapper json = new ObjectMapper();
        ManualPullRuns runs = getContext().getRegistry().lookupByNameAndType("manualPullRuns", ManualPullRuns.class);
        PullRunner runner = getContext().getRegistry().lookupByNameAndType("pullRunner", PullRunner.class);
        io.gamewire.titles.TitleRegistry titles = getContext().getRegistry().lookupByNameAndType("titleRegistry",
                io.gamewire.titles.TitleRegistry.class);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/v1/admin/pulls")
                .get().id("rest-admin-pulls").produces("application/json").to("direct:admin-pulls")
                .post("/{title}/{pull}/runs").id("rest-admin-pull-run").produces("application/json")
                .to("direct:admin-pull-run")
                .get("/runs/{runId}").id("rest-admin-pull-run-status").produces("application/json")
                .to("direct:admin-pull-run-status");

        from("direct:admin-pulls").routeId("admin-pulls")
                .routeConfigurationId(HttpApiErrors.ID)
                .process(exchange -> {
            AdminRequests.requireAdmin(exchange, token);
            ArrayNode list = json.createArrayNode();
            for (Map.Entry<String, PullDefinition> entry : runs.pulls()) {
                list.add(describe(json, entry.getKey(), entry.getValue(), runner));
            }
            ObjectNode body = json.createObjectNode().put("count", list.size());
            body.set("pulls", list);
            AdminRequests.answer(exchange, 200, body);
        });

        from("direct:admin-pull-run").routeId("admin-pull-run")
                .routeConfigurationId(HttpApiErrors.ID)
                .process(exchange -> {
            AdminRequests.requireAdmin(exchange, token);
            AdminRequests.requireTitlesLoaded(titles);
            String since = since(json, exchange.getMessage().getBody(byte[].class));
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
            AdminRequests.answer(exchange, 202, runJson(json, run));
            exchange.getMessage().setHeader("Location", RUNS_PATH + run.id());
        });

        from("direct:admin-pull-run-status").routeId("admin-pull-run-status")
                .routeConfigurationId(HttpApiErrors.ID)
                .process(exchange -> {
            AdminRequests.requireAdmin(exchange, token);
            String id = exchange.getMessage().getHeader("runId", String.class);
            ManualPullRun run = runs.find(id).orElseThrow(() -> new RequestRefusedException(404,
                    "no pull run '" + id + "' here: runs are kept in the instance that started them, the last "
                            + "100 of them, until it stops"));
            AdminRequests.answer(exchange, 200, runJson(json, run));
        });
    }

    private ObjectNode describe(ObjectMapper json, String title, PullDefinition pull, PullRunner runner) {
        PullState state = runner.state(title, pull.name());
        ObjectNode node = json.createObjectNode()
                .put("title", title)
                .put("pull", pull.name())
                .put("schedule", pull.schedule().describe())
                .put("scheduled", getContext().getRoute(PullDeployer.routeId(title, pull.name())) != null)
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
    private static String since(ObjectMapper json, byte[] body) {
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
    private static ObjectNode runJson(ObjectMapper json, ManualPullRun run) {
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

package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API, behind {@code Authorization: Bearer <gamewire.admin.token>}: every route's first
 * step is {@code adminAuthorization}, its failures are answered by {@link HttpApiErrors}.
 * <ul>
 *   <li>{@code GET /v1/admin/dlq?queue=title.env.service&limit=50}: a service's dead letters,
 *       left in their queue;</li>
 *   <li>{@code POST /v1/admin/dlq/replay}, body {@code {"queue": ..., "messageIds": [...], "limit": n}}:
 *       puts them back on the events exchange;</li>
 *   <li>{@code GET /v1/admin/pulls}, {@code POST /v1/admin/pulls/{title}/{pull}/runs},
 *       {@code GET /v1/admin/pulls/runs/{runId}}: the pulls, a manual run, its progress;</li>
 *   <li>{@code GET /v1/admin/stats?pattern=halo.prod.#&window=1m&series=true}: rates, totals and
 *       delay percentiles per routing key; {@code GET /v1/admin/queues}: depth, unacknowledged,
 *       consumers and dead letters per service queue (both 503 when the bus monitor is off);</li>
 *   <li>{@code GET /v1/admin/tail?pattern=&deadLetters=&limit=}: the live tail, Server-Sent Events. Its
 *       route {@value #TAIL_ROUTE_ID} authorizes and opens the tail; {@link TailSseEndpoint}, not the
 *       REST DSL, takes the HTTP request to it and streams the tail it opened;</li>
 *   <li>the consoles' data: {@code GET /v1/admin/titles}, {@code /routes}, {@code /events/{id}},
 *       {@code /compare?a=&b=}, {@code /kv?key=}, {@code /cache?key=}; {@code POST /v1/admin/sql},
 *       {@code /send}, {@code /replay} (io.gamewire.admin.data.DataAdmin);</li>
 *   <li>capacity: {@code GET /v1/admin/capacity} (every planned service's latest decision),
 *       {@code GET /v1/admin/capacity/{service}?hours=} (the forecast and the decisions),
 *       {@code GET /v1/admin/capacity/{service}.png?hours=&width=&height=} (its picture),
 *       {@code POST /v1/admin/capacity/{service}/fit} (α, β, γ fitted on the archive)
 *       (io.gamewire.admin.capacity.CapacityAdmin).</li>
 * </ul>
 */
public class AdminRoutes extends RouteBuilder {

    /** The route of {@code GET /v1/admin/tail}: authorize, open the tail. */
    public static final String TAIL_ROUTE_ID = "admin-tail";

    @Override
    public void configure() {
        rest("/v1/admin/dlq")
                .get().id("rest-admin-dlq").produces("application/json").to("direct:admin-dlq-list")
                .post("/replay").id("rest-admin-dlq-replay").produces("application/json").to("direct:admin-dlq-replay");
        rest("/v1/admin/pulls")
                .get().id("rest-admin-pulls").produces("application/json").to("direct:admin-pulls")
                .post("/{title}/{pull}/runs").id("rest-admin-pull-run").produces("application/json")
                .to("direct:admin-pull-run")
                .get("/runs/{runId}").id("rest-admin-pull-run-status").produces("application/json")
                .to("direct:admin-pull-run-status");
        rest("/v1/admin/stats")
                .get().id("rest-admin-stats").produces("application/json").to("direct:admin-stats");
        rest("/v1/admin/queues")
                .get().id("rest-admin-queues").produces("application/json").to("direct:admin-queues");

        adminRoute("admin-dlq-list", "deadLetterList", "list-dead-letters");
        adminRoute("admin-dlq-replay", "deadLetterReplay", "replay-dead-letters");
        adminRoute("admin-pulls", "pullList", "list-pulls");
        adminRoute("admin-pull-run", "pullRunStart", "start-pull-run");
        adminRoute("admin-pull-run-status", "pullRunStatus", "read-pull-run");
        adminRoute("admin-stats", "trafficStatsQuery", "read-stats");
        adminRoute("admin-queues", "queueQuery", "read-queues");
        adminRoute(TAIL_ROUTE_ID, "tailOpen", "open-tail");

        // the data endpoints of the consoles (io.gamewire.admin.data.DataAdmin)
        rest("/v1/admin")
                .get("/titles").id("rest-admin-titles").produces("application/json").to("direct:admin-titles")
                .get("/routes").id("rest-admin-routes").produces("application/json").to("direct:admin-routes")
                .get("/events/{id}").id("rest-admin-event").produces("application/json").to("direct:admin-event")
                .get("/compare").id("rest-admin-compare").produces("application/json").to("direct:admin-compare")
                .get("/kv").id("rest-admin-kv").produces("application/json").to("direct:admin-kv")
                .get("/cache").id("rest-admin-cache").produces("application/json").to("direct:admin-cache")
                .post("/sql").id("rest-admin-sql").produces("application/json").to("direct:admin-sql")
                .post("/send").id("rest-admin-send").produces("application/json").to("direct:admin-send")
                .post("/replay").id("rest-admin-replay").produces("application/json").to("direct:admin-replay");
        adminRoute("admin-titles", "adminTitles", "list-titles");
        adminRoute("admin-routes", "adminRoutes", "list-routes");
        adminRoute("admin-event", "adminEvent", "read-event");
        adminRoute("admin-compare", "adminCompare", "compare-events");
        adminRoute("admin-kv", "adminKv", "read-kv-record");
        adminRoute("admin-cache", "adminCache", "read-cache-entry");
        adminRoute("admin-sql", "adminSql", "run-read-only-sql");
        adminRoute("admin-send", "adminSend", "send-event");
        adminRoute("admin-replay", "adminReplay", "replay-event");

        // capacity (io.gamewire.admin.capacity.CapacityAdmin): one path for the report and its picture (a name
        // ending .png); service names have dots, so a path of its own for {service}.png would overlap {service}
        rest("/v1/admin/capacity")
                .get().id("rest-admin-capacity").produces("application/json").to("direct:admin-capacity")
                .get("/{service}").id("rest-admin-capacity-service").produces("application/json,image/png")
                .to("direct:admin-capacity-service")
                .post("/{service}/fit").id("rest-admin-capacity-fit").produces("application/json")
                .to("direct:admin-capacity-fit");
        adminRoute("admin-capacity", "capacityList", "list-decisions");
        adminRoute("admin-capacity-service", "capacityService", "report-service");
        adminRoute("admin-capacity-fit", "capacityFit", "fit-smoothing");
    }

    /** The route {@code direct:<routeId>}: authorize the admin, then the one step of the call. */
    private void adminRoute(String routeId, String stepBean, String step) {
        from("direct:" + routeId).routeId(routeId).routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id(routeId + ".authorize-admin")
                .process(stepBean).id(routeId + "." + step);
    }
}

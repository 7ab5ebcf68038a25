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
 *       {@code GET /v1/admin/pulls/runs/{runId}}: the pulls, a manual run, its progress.</li>
 * </ul>
 */
public class AdminRoutes extends RouteBuilder {

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

        from("direct:admin-dlq-list").routeId("admin-dlq-list").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("admin-dlq-list.authorize-admin")
                .process("deadLetterList").id("admin-dlq-list.list-dead-letters");

        from("direct:admin-dlq-replay").routeId("admin-dlq-replay").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("admin-dlq-replay.authorize-admin")
                .process("deadLetterReplay").id("admin-dlq-replay.replay-dead-letters");

        from("direct:admin-pulls").routeId("admin-pulls").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("admin-pulls.authorize-admin")
                .process("pullList").id("admin-pulls.list-pulls");

        from("direct:admin-pull-run").routeId("admin-pull-run").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("admin-pull-run.authorize-admin")
                .process("pullRunStart").id("admin-pull-run.start-pull-run");

        from("direct:admin-pull-run-status").routeId("admin-pull-run-status").routeConfigurationId(HttpApiErrors.ID)
                .process("adminAuthorization").id("admin-pull-run-status.authorize-admin")
                .process("pullRunStatus").id("admin-pull-run-status.read-pull-run");
    }
}

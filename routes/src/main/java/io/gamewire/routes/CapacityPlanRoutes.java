package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Route {@code capacity-plan}: every {@code gamewire.capacity.plan-interval} the step
 * {@code capacityPlan} ({@code io.gamewire.capacity.plan.CapacityPlanner}, bound by
 * {@code CapacityPlanConfiguration}) decides each service's consumer count. Not started with
 * {@code gamewire.capacity.plan-enabled=false}.
 */
public class CapacityPlanRoutes extends RouteBuilder {

    /** The route's id. */
    public static final String ROUTE_ID = "capacity-plan";

    @Override
    public void configure() {
        // one timer thread: a plan never overlaps the previous one
        from("timer:capacity-plan?period={{gamewire.capacity.plan-interval}}"
                + "&delay={{gamewire.capacity.plan-interval}}")
                .routeId(ROUTE_ID).autoStartup("{{gamewire.capacity.plan-enabled}}")
                .process("capacityPlan").id(ROUTE_ID + ".plan");
    }
}

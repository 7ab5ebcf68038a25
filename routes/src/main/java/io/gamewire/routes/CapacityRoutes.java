package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The usage archives' two routes, when {@code CapacityConfiguration} bound their steps
 * ({@code gamewire.capacity.enabled}):
 * <ul>
 *   <li>{@code capacity-count}, on every instance: a timer every
 *       {@code gamewire.capacity.counters-interval-ms} → {@code capacityCount} (this instance's
 *       totals into {@code capacity_counters});
 *   <li>{@code capacity-sample}, on one instance of the cluster: a Quartz trigger
 *       ({@code gamewire.capacity.sample-cron}, every step of 10 s by default) in the pulls'
 *       scheduler, {@code stateful} so two steps never overlap and, with the JDBC job store,
 *       clustered → {@code capacitySample} (rates into the archive).
 * </ul>
 */
public class CapacityRoutes extends RouteBuilder {

    /** The sampling route's id. */
    public static final String SAMPLE_ROUTE_ID = "capacity-sample";
    /** The counting route's id. */
    public static final String COUNT_ROUTE_ID = "capacity-count";

    @Override
    public void configure() {
        if (getContext().getRegistry().lookupByName("capacitySample") == null) {
            return;
        }
        from("timer:capacity-count?period={{gamewire.capacity.counters-interval-ms}}")
                .routeId(COUNT_ROUTE_ID)
                .process("capacityCount").id(COUNT_ROUTE_ID + ".publish-counters");
        from("quartz://gamewire-capacity/sample?stateful=true&cron={{gamewire.capacity.sample-cron}}")
                .routeId(SAMPLE_ROUTE_ID)
                .process("capacitySample").id(SAMPLE_ROUTE_ID + ".sample");
    }
}

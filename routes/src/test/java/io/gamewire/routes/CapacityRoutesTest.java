package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Produce;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.model.Model;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;

/**
 * The usage archives' routes, their timer and Quartz trigger replaced by {@code direct:}, the steps
 * stubbed: each route runs its one step, under the node id the docs give.
 */
@CamelMainTest(
        properties = {"gamewire.capacity.counters-interval-ms=5000", "gamewire.capacity.sample-cron=0/10+*+*+*+*+?"},
        replaceRouteFromWith = {"capacity-sample=direct:fire-sample", "capacity-count=direct:fire-count"})
class CapacityRoutesTest {

    @EndpointInject("mock:capacitySample")
    MockEndpoint sample;
    @EndpointInject("mock:capacityCount")
    MockEndpoint count;
    @Produce
    ProducerTemplate trigger;
    @org.apache.camel.BeanInject
    CamelContext camel;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps("capacitySample", "capacityCount"));
        main.addRoutesBuilder(new CapacityRoutes());
    }

    @Test
    void eachTriggerRunsItsStep() throws Exception {
        sample.expectedMessageCount(1);
        count.expectedMessageCount(2);

        trigger.sendBody("direct:fire-sample", null);
        Exchange counted = trigger.send("direct:fire-count", exchange -> { });
        trigger.sendBody("direct:fire-count", null);

        sample.assertIsSatisfied();
        count.assertIsSatisfied();
        assertThat(RouteFixtures.trail(counted)).containsExactly("capacityCount");
    }

    @Test
    void theStepsHaveTheirNodeIds() {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        assertThat(model.getRouteDefinition(CapacityRoutes.SAMPLE_ROUTE_ID).getOutputs())
                .extracting(output -> output.getId()).containsExactly("capacity-sample.sample");
        assertThat(model.getRouteDefinition(CapacityRoutes.COUNT_ROUTE_ID).getOutputs())
                .extracting(output -> output.getId()).containsExactly("capacity-count.publish-counters");
    }
}

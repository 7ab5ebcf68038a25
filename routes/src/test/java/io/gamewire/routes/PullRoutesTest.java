package io.gamewire.routes;

import io.gamewire.pulls.ScheduledPullRun;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Produce;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;

/**
 * The route template {@code pull}: two routes made from it as {@code PullDeployer} makes them,
 * their Quartz triggers replaced by {@code direct:}, the run stubbed. Each route names its own pull.
 */
@CamelMainTest(replaceRouteFromWith = {"pull-halo.matches=direct:fire-matches", "pull-halo.ladder=direct:fire-ladder"})
class PullRoutesTest {

    @EndpointInject("mock:scheduledPullRun")
    MockEndpoint run;
    @Produce
    ProducerTemplate quartz;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addConfiguration(RouteFixtures.stubSteps("scheduledPullRun"));
        main.addRoutesBuilder(new PullRoutes());
        main.addRoutesBuilder(RouteFixtures.fromTemplate(PullRoutes.TEMPLATE, "pull-halo.matches",
                Map.of("title", "halo", "pull", "matches", "trigger", "cron=0+0+3+*+*+%3F")));
        main.addRoutesBuilder(RouteFixtures.fromTemplate(PullRoutes.TEMPLATE, "pull-halo.ladder",
                Map.of("title", "halo", "pull", "ladder", "trigger", "trigger.repeatInterval=60000&trigger.repeatCount=-1")));
    }

    @Test
    void aTriggerRunsThePullItsRouteWasMadeFor() throws Exception {
        run.expectedMessageCount(2);
        run.message(0).header(ScheduledPullRun.TITLE).isEqualTo("halo");
        run.message(0).header(ScheduledPullRun.PULL).isEqualTo("ladder");
        run.message(1).header(ScheduledPullRun.TITLE).isEqualTo("halo");
        run.message(1).header(ScheduledPullRun.PULL).isEqualTo("matches");

        quartz.sendBody("direct:fire-ladder", null);
        quartz.sendBody("direct:fire-matches", null);

        run.assertIsSatisfied();
    }
}

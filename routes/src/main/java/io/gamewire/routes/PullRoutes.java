package io.gamewire.routes;

import io.gamewire.pulls.ScheduledPullRun;
import org.apache.camel.builder.RouteBuilder;

/**
 * The route template {@code pull}: one route per scheduled pull of a title file, made from it by
 * {@link io.gamewire.deploy.PullDeployer} with the route id {@code pull-<title>.<pull>}.
 *
 * <p>Steps: a Quartz trigger ({@code stateful}, so runs of one pull never overlap, cluster-wide
 * with the JDBC job store) → name the pull → run it ({@code scheduledPullRun}: fetch pages with
 * retries and the breaker, publish items with confirms, store the watermark).
 */
public class PullRoutes extends RouteBuilder {

    /** The template's id. */
    public static final String TEMPLATE = "pull";

    @Override
    public void configure() {
        routeTemplate(TEMPLATE)
                .templateParameter("title", null, "the title whose file defines the pull")
                .templateParameter("pull", null, "the pull's name in the title file")
                .templateParameter("trigger", null,
                        "the Quartz trigger options: cron=... or trigger.repeatInterval=...&trigger.repeatCount=-1")
                // one Quartz job per pull, named title.pull in the group gamewire-pulls
                .from("quartz://gamewire-pulls/{{title}}.{{pull}}?stateful=true&{{trigger}}")
                .setHeader(ScheduledPullRun.TITLE, constant("{{title}}")).id("name-title")
                .setHeader(ScheduledPullRun.PULL, constant("{{pull}}")).id("name-pull")
                .process("scheduledPullRun").id("run-pull");
    }
}

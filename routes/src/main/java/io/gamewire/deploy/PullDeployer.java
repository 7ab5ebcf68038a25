package io.gamewire.deploy;

import io.gamewire.titles.model.EnvPlaceholders;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import io.gamewire.routes.PullRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules a title's pulls: one route per pull, made from the route template {@link PullRoutes}
 * with the pull's cron or interval. Called by the title deployer when a title is
 * added, changed or removed; a pull whose definition did not change keeps its route.
 *
 * <p>A pull whose URL names an environment variable ({@code {env:NAME}}) that is not set is not
 * scheduled, with a log line saying so: the example titles ship pulls whose publisher API must be
 * configured first.
 */
public final class PullDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(PullDeployer.class);

    private final CamelContext camel;
    private final Function<String, String> environment;

    public PullDeployer(CamelContext camel, Function<String, String> environment) {
        this.camel = camel;
        this.environment = environment;
    }

    /**
     * The id of a pull's route: {@code pull-<title>.<pull>}. The names keep their dot, since title
     * and pull names may hold dashes: {@code pull-a-b-c} could be two different pulls.
     */
    public static String routeId(String title, String pull) {
        return "pull-" + title + "." + pull;
    }

    /** Schedules {@code next}'s pulls in place of {@code previous}'s (null for a new title). */
    public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
        Map<String, PullDefinition> before = previous == null ? Map.of() : previous.pulls();
        for (PullDefinition old : before.values()) {
            PullDefinition now = next.pulls().get(old.name());
            if (!old.equals(now)) {
                unschedule(next.title(), old.name());
            }
        }
        for (PullDefinition pull : next.pulls().values()) {
            if (!pull.equals(before.get(pull.name())) || camel.getRoute(routeId(next.title(), pull.name())) == null) {
                schedule(next.title(), pull);
            }
        }
    }

    /** Unschedules every pull of a removed title. */
    public void remove(TitleDefinition previous) throws Exception {
        for (String pull : previous.pulls().keySet()) {
            unschedule(previous.title(), pull);
        }
    }

    private void schedule(String title, PullDefinition pull) throws Exception {
        Optional<String> missing = EnvPlaceholders.missing(pull.request().url(), environment);
        if (missing.isPresent()) {
            LOG.info("Pull {}/{} not scheduled: its URL needs environment variable {}, which is not set",
                    title, pull.name(), missing.get());
            return;
        }
        String id = routeId(title, pull.name());
        // node ids are unique across routes: each step of this route is named <route id>.<step>
        TemplatedRouteBuilder.builder(camel, PullRoutes.TEMPLATE)
                .routeId(id)
                .prefixId(id + ".")
                .parameter("title", title)
                .parameter("pull", pull.name())
                .parameter("trigger", trigger(pull))
                .add();
        LOG.info("Pull {}/{} scheduled: {}", title, pull.name(), pull.schedule().cron() != null
                ? "cron " + pull.schedule().cron() : "every " + pull.schedule().every());
    }

    private void unschedule(String title, String pull) throws Exception {
        String id = routeId(title, pull);
        if (camel.getRoute(id) != null) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
            LOG.info("Pull {}/{} unscheduled", title, pull);
        }
    }

    /** The Quartz trigger options of a pull's schedule. */
    static String trigger(PullDefinition pull) {
        return pull.schedule().cron() != null
                ? "cron=" + URLEncoder.encode(pull.schedule().cron(), StandardCharsets.UTF_8)
                : "trigger.repeatInterval=" + pull.schedule().every().toMillis() + "&trigger.repeatCount=-1";
    }
}

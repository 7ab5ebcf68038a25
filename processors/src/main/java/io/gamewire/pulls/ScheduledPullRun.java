package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of a scheduled pull's route (the route template {@code pull}): runs the pull the
 * headers {@link #TITLE} and {@link #PULL} name, as its title file defines it now, through
 * {@link PullRunner} (fetch pages, publish items with confirms, store progress). The route template
 * sets the headers from its parameters, so one bean serves every pull.
 *
 * <p>The pull's work stays in Java on purpose: paging, retries, the breaker and the watermark
 * depend on each other page by page, which a route of Camel steps would only hide.
 */
public final class ScheduledPullRun implements Processor {

    /** Header: the title whose pull runs. */
    public static final String TITLE = "GamewirePullTitle";
    /** Header: the pull's name in the title file. */
    public static final String PULL = "GamewirePullName";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledPullRun.class);

    private final PullExecutor executor;
    private final Supplier<Map<String, TitleDefinition>> titles;

    /**
     * @param executor runs one pull ({@link PullRunner#run(String, PullDefinition)})
     * @param titles   the titles in force
     */
    public ScheduledPullRun(PullExecutor executor, Supplier<Map<String, TitleDefinition>> titles) {
        this.executor = executor;
        this.titles = titles;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String title = exchange.getMessage().getHeader(TITLE, String.class);
        String name = exchange.getMessage().getHeader(PULL, String.class);
        TitleDefinition definition = titles.get().get(title);
        PullDefinition pull = definition == null ? null : definition.pulls().get(name);
        if (pull == null) {
            // the title file changed between the trigger and now: its deployer removes this route
            LOG.info("Pull {}/{} skipped: no title in force defines it any more", title, name);
            return;
        }
        executor.run(title, pull);
    }
}

package io.gamewire.titles;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the titles once Camel has fully started (on its own thread), then re-reads the titles folder every
 * {@code gamewire.titles.reload-interval-ms}: adding, changing or removing a file takes effect
 * within that time, without a restart. Polling (rather than file-system events) works the same on
 * every file system, including mounted volumes, and costs one read of a few small files.
 */
public final class TitleWatcher extends ServiceSupport implements ExtendedStartupListener, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(TitleWatcher.class);

    private final TitleRegistry registry;
    private final long intervalMillis;
    private CamelContext camel;
    private ScheduledExecutorService executor;
    private volatile boolean loaded;
    private final java.util.List<Runnable> afterFirstLoad = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TitleWatcher(TitleRegistry registry, long intervalMillis) {
        this.registry = registry;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // wait for onCamelContextFullyStarted: routes made now would have to be started by hand
    }

    /**
     * Starts loading on a thread of its own: Camel's start-up (and the HTTP server) never waits for
     * title deployment, and the {@code titles} health check stays DOWN until the first load is done.
     */
    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "title-reload");
        executor.execute(this::firstLoad);
        if (intervalMillis > 0) {
            executor.scheduleWithFixedDelay(this::reload, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void firstLoad() {
        try {
            TitleRegistry.Report report = registry.reload();
            LOG.info("Titles loaded from {}: {} in force, {} file problem(s), {} refused", registry.dir(),
                    registry.titles().keySet(), report.problems().size(), report.refused().size());
        } catch (RuntimeException e) {
            LOG.error("Loading titles from {} failed", registry.dir(), e);
        } finally {
            loaded = true;
        }
        for (Runnable then : afterFirstLoad) {
            try {
                then.run();
            } catch (RuntimeException e) {
                LOG.error("A task after the first load of the titles failed", e);
            }
        }
    }

    /**
     * Runs {@code then} once the titles are first loaded (on the loading thread): listeners that
     * check API keys, such as the TCP server, open only when the keys are there to check.
     */
    public void afterFirstLoad(Runnable then) {
        afterFirstLoad.add(then);
    }

    /** Whether the first load of the titles folder has finished. */
    public boolean loaded() {
        return loaded;
    }

    private void reload() {
        try {
            registry.reload();
        } catch (RuntimeException e) {
            LOG.error("Reloading titles from {} failed; the titles in force stay", registry.dir(), e);
        }
    }

    @Override
    protected void doStop() {
        if (executor != null) {
            camel.getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }
}

package io.gamewire.stack;

import io.gamewire.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the configuration classes of the areas (core, bus, storage, titles, ingest, store, pulls,
 * admin) share. Camel Main runs them in the order {@code GamewireApplication} adds them, before any
 * route builder: a later area finds an earlier area's beans in the registry by name, and a missing
 * one is a programming error, named as such.
 */
abstract class AreaConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AreaConfiguration.class);

    /** The settings of {@code gamewire.*}, as the properties component resolves them. */
    static Settings settings(CamelContext camel) {
        return new Settings(camel.getPropertiesComponent());
    }

    /** The typed settings, read once by {@link CoreConfiguration}. */
    static AreaSettings areaSettings(CamelContext camel) {
        return bean(camel, AreaSettings.BEAN, AreaSettings.class);
    }

    /** A bean an earlier area bound. */
    static <T> T bean(CamelContext camel, String name, Class<T> type) {
        T bean = camel.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean '" + name + "' of type " + type.getSimpleName()
                    + " in the registry: the configuration class that binds it must come first");
        }
        return bean;
    }

    /** What {@link #onFullyStarted} runs. */
    @FunctionalInterface
    interface FullyStarted {
        void run(CamelContext camel) throws Exception;
    }

    /**
     * Runs {@code task} once Camel has fully started: the routes run and platform-http's server is
     * up. A task that throws fails the start.
     */
    static void onFullyStarted(CamelContext camel, FullyStarted task) throws Exception {
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                task.run(context);
            }
        });
    }

    /**
     * Runs {@code close} when Camel stops. Camel stops services in reverse order of adding, so what
     * an area adds first (the broker, the database) is closed last.
     */
    static void closeOnStop(CamelContext camel, String what, Runnable close) throws Exception {
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                LOG.debug("Closing {}", what);
                close.run();
            }

            @Override
            public String toString() {
                return what;
            }
        }, true, true);
    }

    /** The innermost cause's message, for a start refused because a backend is unreachable. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + root + ")";
    }
}

package io.gamewire.stack;

import io.gamewire.deploy.PullDeployer;
import io.gamewire.deploy.TitleDeployer;
import io.gamewire.ops.health.BackendHealthCheck;
import io.gamewire.routing.BusTopology;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.TitleWatcher;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The title files: {@code titleRegistry} (the titles of {@code gamewire.titles.dir}, each made real
 * by {@link TitleDeployer}: tables, queues, consumer routes, and its pulls' routes through
 * {@link PullDeployer} when {@code gamewire.pulls.enabled}) and {@code titleWatcher}, which loads
 * them once the context runs (so routes made from the templates start at once) and reloads them
 * while it runs. Health check: {@code titles}, down until the first load is done.
 */
public class TitlesConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        PullDeployer pulls = settings.pulls().enabled() ? new PullDeployer(camel, System::getenv) : null;
        TitleDeployer deployer = new TitleDeployer(camel, new TitleTables(bean(camel, "dataSource", DataSource.class)),
                bean(camel, "busTopology", BusTopology.class), settings.titles().consumersEnabled(), pulls);
        TitleRegistry titles = new TitleRegistry(settings.titles().dir(), deployer);
        camel.getRegistry().bind("titleRegistry", titles);
        // payloads as operators may see them (the tail, the console's event views): redact: true fields as "***"
        camel.getRegistry().bind("payloadRedaction", new PayloadRedaction(titles));

        TitleWatcher watcher = new TitleWatcher(titles, settings.titles().reloadIntervalMs());
        camel.addStartupListener(watcher);
        camel.addService(watcher, true, true);
        camel.getRegistry().bind("titleWatcher", watcher);
        HealthCheckRegistry.get(camel).register(new BackendHealthCheck("titles", () -> {
            if (!watcher.loaded()) {
                throw new IllegalStateException("the title files of " + titles.dir() + " are still being loaded");
            }
        }));
    }
}

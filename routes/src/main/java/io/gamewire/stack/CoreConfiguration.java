package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.config.SharedJson;
import io.gamewire.ops.health.DeadlockHealthCheck;
import io.gamewire.ops.health.LifecycleHealthChecks;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * The first area: what every other one uses. The one {@code ObjectMapper} of the application
 * ({@code json}, thread-safe once configured); the settings of {@code gamewire.*}, typed and read
 * once ({@code gamewireSettings}, {@link AreaSettings}); and the ports gamewire listens on, checked
 * before anything starts so that a port in use is refused with the setting that names it, as is a
 * data folder on a disk without room ({@link DataFolderRoom}). And the health checks that belong
 * to no backend: {@code serving} and {@code lifecycle} in place of Camel's {@code context} check
 * ({@link LifecycleHealthChecks}: not ready while starting and draining, live while draining) and
 * {@code deadlock} (not live with deadlocked threads); the backends' checks are added by their areas.
 */
public class CoreConfiguration extends AreaConfiguration {

    /** The application's JSON mapper: every area and step uses this one. */
    @BindToRegistry("json")
    public ObjectMapper json() {
        return SharedJson.MAPPER;
    }

    /** Whether this stack keeps a store in the data folder: the embedded broker, an H2 file, the KV file. */
    static boolean keepsStoresInDataFolder(AreaSettings settings) {
        return settings.bus().embedded() || !settings.storage().redis()
                || io.gamewire.sinks.sql.H2DatabaseCheck.isH2File(settings.storage().dbUrl());
    }

    @Override
    public void configure(CamelContext camel) {
        AreaSettings settings = AreaSettings.from(settings(camel));
        camel.getRegistry().bind(AreaSettings.BEAN, settings);
        AreaSettings.Listen listen = settings.listen();
        PortCheck.requireFree("HTTP", listen.httpHost(), listen.httpPort(), "gamewire.http.port");
        PortCheck.requireFree("GWP TCP", listen.tcpHost(), listen.tcpPort(), "gamewire.tcp.port");
        if (keepsStoresInDataFolder(settings)) {
            DataFolderRoom.require(settings.storage().dataDir(), settings(camel).nonNegative(DataFolderRoom.SETTING));
        }
        // one REST configuration for the HTTP API and the admin API
        camel.getRestConfiguration().setComponent("platform-http");
        camel.getRestConfiguration().setBindingMode("off");
        // Camel's HTTP header filter keeps Cache-Control out of answers; the web console's files
        // and its login answer must say how they may be cached
        org.apache.camel.http.base.HttpHeaderFilterStrategy httpHeaders = new org.apache.camel.http.base.HttpHeaderFilterStrategy();
        httpHeaders.getOutFilter().remove("cache-control");
        // and never send a request's credentials back: an exchange that fails where no route of ours
        // answers it (rejected by a forced stop) is answered by platform-http with the message's
        // headers, which are still the request's
        httpHeaders.getOutFilter().add("authorization");
        camel.getComponent("platform-http", org.apache.camel.component.platform.http.PlatformHttpComponent.class)
                .setHeaderFilterStrategy(httpHeaders);
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(LifecycleHealthChecks.serving());
        health.register(LifecycleHealthChecks.lifecycle());
        health.register(new DeadlockHealthCheck());
    }
}

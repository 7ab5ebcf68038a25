package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.config.Settings;
import io.gamewire.config.SharedJson;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;

/**
 * The first area: what every other one uses. The one {@code ObjectMapper} of the application
 * ({@code json}, thread-safe once configured), and the ports gamewire listens on, checked before
 * anything starts so that a port in use is refused with the setting that names it.
 */
public class CoreConfiguration extends AreaConfiguration {

    /** The application's JSON mapper: every area and step uses this one. */
    @BindToRegistry("json")
    public ObjectMapper json() {
        return SharedJson.MAPPER;
    }

    @Override
    public void configure(CamelContext camel) {
        Settings settings = settings(camel);
        PortCheck.requireFree("HTTP", settings.string("gamewire.http.host"), settings.port("gamewire.http.port"),
                "gamewire.http.port");
        PortCheck.requireFree("GWP TCP", settings.string("gamewire.tcp.host"), settings.port("gamewire.tcp.port"),
                "gamewire.tcp.port");
        // one REST configuration for the HTTP API and the admin API
        camel.getRestConfiguration().setComponent("platform-http");
        camel.getRestConfiguration().setBindingMode("off");
    }
}

package io.gamewire.ops.jolokia;

import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.util.NetworkUtil;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia's agent on this JVM's MBeans under {@link JolokiaPolicy}: the services Camel's
 * {@code DefaultJolokiaPlatformHttpPlugin} puts together (the serializer, the local JMX request
 * handler), made here because that plugin takes its restrictor only from a policy file on the class
 * path ({@code jolokia-access.xml}) and allows everything without one. A Camel service: its request
 * handler exists from {@code start()} to {@code stop()}.
 */
public final class JolokiaAgent extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAgent.class);

    private final JolokiaServiceManager services;
    private volatile HttpRequestHandler handler;

    public JolokiaAgent() {
        services = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                new StaticConfiguration(ConfigKey.AGENT_ID, NetworkUtil.getAgentId(hashCode(), "gamewire")),
                new Slf4jLogHandler(), new JolokiaPolicy());
        services.addService(new JolokiaSerializer());
        services.addService(new LocalRequestHandler(1));
    }

    @Override
    protected void doStart() {
        handler = new HttpRequestHandler(services.start());
    }

    @Override
    protected void doStop() {
        handler = null;
        services.stop();
    }

    /** Answers Jolokia's GET and POST requests; only while started. */
    public HttpRequestHandler requestHandler() {
        HttpRequestHandler started = handler;
        if (started == null) {
            throw new IllegalStateException("Jolokia is not started (gamewire.ops.jolokia.enabled, or gamewire is stopping)");
        }
        return started;
    }

    /** Jolokia's log on gamewire's. */
    private static final class Slf4jLogHandler implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.info(message);
        }

        @Override
        public void error(String message, Throwable cause) {
            LOG.error(message, cause);
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}

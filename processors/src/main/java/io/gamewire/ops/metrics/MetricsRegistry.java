package io.gamewire.ops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;

/**
 * The application's one meter registry: the Prometheus registry that {@code GET /observe/metrics}
 * shows, holding Camel's route and exchange meters, the JVM binders' and gamewire's own
 * ({@code gamewire.pull.*}). gamewire's meters must be registered in this very registry; any
 * other would record them where nobody can scrape them.
 */
public final class MetricsRegistry {

    private MetricsRegistry() {
    }

    /**
     * The registry bound as {@code metricsRegistry}. With {@code camel.metrics.enabled=true} Camel
     * Main (4.17) has made it while applying {@code camel.metrics.*}, before configuration classes
     * run. Otherwise one is made and bound under that name: Camel's {@code MicrometerPrometheus}
     * looks that name up first and reuses what it finds, so should it start later (another Camel
     * version) there is still a single registry; with metrics off it records unseen.
     */
    public static MeterRegistry of(CamelContext camel) {
        Registry registry = camel.getRegistry();
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry made = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, made);
        return made;
    }
}

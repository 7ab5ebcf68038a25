package io.gamewire.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

    @Test
    void theRegistryCamelBoundIsTheOneReturned() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            PrometheusMeterRegistry camels = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, camels);

            assertThat(MetricsRegistry.of(camel)).isSameAs(camels);
        }
    }

    @Test
    void withoutOneAPrometheusRegistryIsBoundWhereCamelLooksForIt() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            MeterRegistry made = MetricsRegistry.of(camel);

            assertThat(made).isInstanceOf(PrometheusMeterRegistry.class);
            assertThat(camel.getRegistry().lookupByName(MicrometerConstants.METRICS_REGISTRY_NAME)).isSameAs(made);
            assertThat(MetricsRegistry.of(camel)).as("a second caller gets the same registry").isSameAs(made);
        }
    }
}

package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;

/** Without its steps (what {@code CapacityConfiguration} leaves unbound with {@code gamewire.capacity.enabled=false}) the builder adds no route. */
@CamelMainTest
class CapacityRoutesDisabledTest {

    @BeanInject
    CamelContext camel;

    @Configure
    void routes(MainConfigurationProperties main) {
        main.addRoutesBuilder(new CapacityRoutes());
    }

    @Test
    void withoutItsStepsThereAreNoRoutes() {
        assertThat(camel.getRoutes()).isEmpty();
    }
}

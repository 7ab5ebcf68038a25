package io.gamewire.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BusTopologyTest {

    @Test
    void queueArgumentsParseNumbersAsNumbers() {
        assertThat(BusTopology.parseArguments("x-queue-type=quorum, x-max-length=1000"))
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-max-length", 1000L)
                .hasSize(2);
    }

    @Test
    void emptyQueueArgumentsAreNone() {
        assertThat(BusTopology.parseArguments("")).isEmpty();
        assertThat(BusTopology.parseArguments(" , ")).isEmpty();
    }

    @Test
    void malformedQueueArgumentIsNamed() {
        assertThatThrownBy(() -> BusTopology.parseArguments("x-queue-type"))
                .hasMessageContaining("queue argument 'x-queue-type' is not name=value");
    }

    @Test
    void serviceKeysAreThreeValidParts() {
        assertThat(BusTopology.checkServiceKeys(List.of("halo.prod.stats"))).containsExactly("halo.prod.stats");
        assertThatThrownBy(() -> BusTopology.checkServiceKeys(List.of("halo.prod")))
                .hasMessageContaining("service key 'halo.prod' has 2 part(s); expected 3");
        assertThatThrownBy(() -> BusTopology.checkServiceKeys(List.of("halo.PROD.stats")))
                .hasMessageContaining("env part 'PROD' has character 'P'");
    }
}

package io.gamewire.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

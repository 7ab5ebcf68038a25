package io.gamewire.camel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeforeTheStopIsForcedTest {

    @Test
    void theActionComesATenthOfTheShutdownTimeoutBeforeItBetween100MsAnd1s() {
        assertThat(BeforeTheStopIsForced.actAt(30_000)).isEqualTo(29_000);
        assertThat(BeforeTheStopIsForced.actAt(5_000)).isEqualTo(4_500);
        assertThat(BeforeTheStopIsForced.actAt(1_000)).isEqualTo(900);
        assertThat(BeforeTheStopIsForced.actAt(500)).isEqualTo(400);
        assertThat(BeforeTheStopIsForced.actAt(50)).isZero();
    }
}

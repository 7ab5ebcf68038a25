package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingKeyLabelsTest {

    private final Set<String> declared = new HashSet<>(Set.of("a.prod.s.one", "a.prod.s.two", "a.prod.s.three"));

    @Test
    void onlyDeclaredKeysBecomeLabels() {
        RoutingKeyLabels labels = new RoutingKeyLabels(() -> declared, 10);

        assertThat(labels.label("a.prod.s.one")).isEqualTo("a.prod.s.one");
        assertThat(labels.label("x.prod.s.random1")).isEqualTo(RoutingKeyLabels.OTHER);
        assertThat(labels.label(null)).isEqualTo(RoutingKeyLabels.OTHER);
    }

    @Test
    void keysPastTheCapFoldIntoOtherAndLabelledKeysKeepTheirLabel() {
        RoutingKeyLabels labels = new RoutingKeyLabels(() -> declared, 2);

        assertThat(labels.label("a.prod.s.one")).isEqualTo("a.prod.s.one");
        assertThat(labels.label("a.prod.s.two")).isEqualTo("a.prod.s.two");
        assertThat(labels.label("a.prod.s.three")).isEqualTo(RoutingKeyLabels.OTHER);

        declared.remove("a.prod.s.one"); // a title reload took the command away
        assertThat(labels.label("a.prod.s.one")).isEqualTo("a.prod.s.one");
    }

    @Test
    void aNegativeCapIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new RoutingKeyLabels(Set::of, -1)).hasMessageContaining("gamewire.ops.max-routing-keys");
    }
}

package io.gamewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsAreVersion7AndCarryTheirTimestamp() {
        UUID id = MessageIds.at(1_700_000_000_123L);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(MessageIds.epochMillis(id)).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void idsOfLaterMillisecondsSortLater() {
        UUID earlier = MessageIds.at(1_000L);
        UUID later = MessageIds.at(1_001L);

        assertThat(earlier.toString()).isLessThan(later.toString());
    }

    @Test
    void idsDoNotRepeat() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(MessageIds.next());
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void parseAcceptsOnlyTheCanonicalForm() {
        UUID id = MessageIds.next();
        assertThat(MessageIds.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> MessageIds.parse("1-1-1-1-1"))
                .hasMessageContaining("message id '1-1-1-1-1' is not a 36-character UUID");
        assertThatThrownBy(() -> MessageIds.parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"))
                .hasMessageContaining("is not a UUID");
    }
}

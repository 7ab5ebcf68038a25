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
    void namedIdsAreTheSameForTheSameNames() {
        assertThat(MessageIds.named("pull", "halo", "leaderboard", "item-1"))
                .isEqualTo(MessageIds.named("pull", "halo", "leaderboard", "item-1"));
    }

    @Test
    void namedIdsDifferWhenAnyNameDiffers() {
        UUID base = MessageIds.named("pull", "halo", "leaderboard", "item-1");

        assertThat(Set.of(base,
                MessageIds.named("pull", "kart", "leaderboard", "item-1"),
                MessageIds.named("pull", "halo", "results", "item-1"),
                MessageIds.named("pull", "halo", "leaderboard", "item-2"),
                MessageIds.named("other", "halo", "leaderboard", "item-1"))).hasSize(5);
    }

    @Test
    void namesCannotRunIntoEachOther() {
        assertThat(MessageIds.named("a:b", "c")).isNotEqualTo(MessageIds.named("a", "b:c"));
        assertThat(MessageIds.named("ab", "")).isNotEqualTo(MessageIds.named("a", "b"));
    }

    @Test
    void namedIdsAreVersion8WithTheRfcVariant() {
        UUID id = MessageIds.named("pull", "halo", "leaderboard", "item-1");

        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void theNamedIdConstructionNeverChanges() {
        // computed outside Java (Python hashlib): a different construction would give items pulled
        // again after an upgrade new ids, and the sinks would store them twice
        assertThat(MessageIds.named("pull", "halo", "leaderboard", "item-1"))
                .hasToString("857dcd0a-67f1-8aa5-8114-4e8362c2192f");
    }

    @Test
    void aNullNameIsRefusedByPosition() {
        assertThatThrownBy(() -> MessageIds.named("pull", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name 1 of a named message id is null");
    }

    @Test
    void parseAcceptsOnlyTheCanonicalForm() {
        UUID id = MessageIds.next();
        assertThat(MessageIds.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> MessageIds.parse("1-1-1-1-1"))
                .hasMessageContaining("message id '1-1-1-1-1' is not a 36-character UUID");
        assertThatThrownBy(() -> MessageIds.parse("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"))
                .hasMessageContaining("is not a UUID");
        assertThatThrownBy(() -> MessageIds.parse("00000000-0000-0000-0000-000000000000"))
                .hasMessageContaining("is all zero, which GWP's ERROR frames use for the connection");
    }
}

package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link SqlEventStore#insert} cuts a batch into multi-row statements. */
class SqlEventStoreChunksTest {

    private static List<Integer> chunks(List<StoredEvent> events) {
        return SqlEventStore.chunkSizes(events, new String[events.size()]);
    }

    private static List<StoredEvent> events(int count, int payloadBytes) {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new StoredEvent(MessageIds.next(), RoutingKey.parse("halo.prod.stats.match_end"),
                    "application/json", "x".repeat(payloadBytes).getBytes(StandardCharsets.UTF_8), 1L, 2L));
        }
        return events;
    }

    @Test
    void aFullBatchIsOneStatementAndAPartialOneIsCutIntoPowersOfTwo() {
        assertThat(chunks(events(100, 200))).containsExactly(100);
        assertThat(chunks(events(237, 200))).containsExactly(100, 100, 32, 4, 1);
        assertThat(chunks(events(37, 200))).containsExactly(32, 4, 1);
        assertThat(chunks(events(1, 200))).containsExactly(1);
        assertThat(chunks(List.of())).isEmpty();
    }

    @Test
    void rowsThatTogetherPassTheStatementLimitGoIntoSeveral() {
        // each row about two thirds of the limit once escaped: never two in one statement
        List<StoredEvent> big = events(1, SqlEventStore.MAX_STATEMENT_BYTES / 3);
        List<StoredEvent> batch = new ArrayList<>(big);
        batch.addAll(events(1, SqlEventStore.MAX_STATEMENT_BYTES / 3));
        batch.addAll(events(1, 10));
        batch.addAll(events(1, SqlEventStore.MAX_STATEMENT_BYTES / 3));

        assertThat(chunks(batch)).containsExactly(1, 2, 1);
        // a row over the limit on its own still gets its statement
        assertThat(chunks(events(2, SqlEventStore.MAX_STATEMENT_BYTES))).containsExactly(1, 1);
        // 100 rows of 10 KB: 2 MB escaped, so no statement takes all 100
        assertThat(chunks(events(100, 10_000))).allMatch(rows -> rows <= 64).hasSizeGreaterThan(1);
    }
}

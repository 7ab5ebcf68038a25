package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Items that are their own id ({@code emit.id: $}), as a match-history API lists bare ids, and
 * the message id an outside tool can compute for a pulled item (docs/titles.md, "Pull emit").
 */
class PullScalarItemsTest extends PullTestSupport {

    @Test
    void bareStringsAndNumbersAreTheirOwnIds() throws Exception {
        server.enqueue(json("[\"EU1_7321\", \"EU1_7322\", 42]"));
        PullDefinition pull = new PullBuilder(url("/ids")).emit("$", "$").build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.ids()).containsExactly("EU1_7321", "EU1_7322", "42");
        assertThat(publisher.published).extracting(RecordingPublisher.Published::payload)
                .containsExactly("\"EU1_7321\"", "\"EU1_7322\"", "42");
    }

    @Test
    void theMessageIdOfAPulledItemFollowsTheDocumentedVector() {
        // docs/titles.md gives these; computed there with Python's hashlib, not with this code
        assertThat(new PulledItem("kart", "race-results", "kart.prod.laps.race_finished", new byte[0], "EU1_7321")
                .messageId()).isEqualTo(UUID.fromString("748511d9-412b-8406-8ca7-68cd03780da6"));
        assertThat(new PulledItem("kart", "race-results", "kart.prod.laps.race_finished", new byte[0], "42")
                .messageId()).isEqualTo(UUID.fromString("43d424d7-d65a-8c1b-b370-bfd0770eb50d"));
    }

    @Test
    void aNullOrEmptyItemHasNoIdAndFailsTheRunNamingIt() throws Exception {
        server.enqueue(json("[\"a\", \"\"]"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/ids")).emit("$", "$").build());

        assertThat(publisher.ids()).containsExactly("a");
        assertThat(result.failure()).contains("page 1: item at index 1 has no id at $");
    }
}

package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An item whose payload the command's schema refuses is dead-lettered, not published, and does not
 * stop the run: it would be refused on every re-fetch, and a failed page would hold the watermark
 * in front of it for good.
 */
class PullDeadLetterTest extends PullTestSupport {

    private static final String REFUSAL = "payload lacks required field 'points' (schema of " + ROUTING_KEY + ")";

    private static final String PAGE_1 = "{\"items\": [{\"id\": \"a\", \"seq\": 1, \"points\": 3},"
            + " {\"id\": \"b\", \"seq\": 2}, {\"id\": \"c\", \"seq\": 3, \"points\": 5}], \"next\": \"p2\"}";
    private static final String PAGE_2 = "{\"items\": [{\"id\": \"d\", \"seq\": 4, \"points\": 8}]}";

    /** Item b has no points, which the fake publisher refuses as the schema would. */
    private PullDefinition pull() {
        publisher.refusal = payload -> payload.contains("points") ? null : REFUSAL;
        return new PullBuilder(url("/feed")).jsonItems("$.items").cursor("cursor", "$.next")
                .watermark("since", "$.seq", WatermarkKind.ID, null).build();
    }

    @Test
    void aRefusedItemIsDeadLetteredAndTheRunGoesPastIt() throws Exception {
        server.enqueue(json(PAGE_1));
        server.enqueue(json(PAGE_2));

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(result.pages()).isEqualTo(2);
        assertThat(publisher.ids()).containsExactly("a", "c", "d");
        assertThat(publisher.deadLettered).singleElement().satisfies(dead -> {
            assertThat(dead.itemId()).isEqualTo("b");
            assertThat(dead.reason()).isEqualTo("pull halo/leaderboard, page 1, item at index 1 (id b): " + REFUSAL);
            assertThat(dead.messageId()).isEqualTo(new PulledItem(TITLE, "leaderboard", ROUTING_KEY, new byte[0], "b")
                    .messageId());
        });
        assertThat(result.itemsPublished()).isEqualTo(3);
        assertThat(result.itemsDeadLettered()).isEqualTo(1);
        assertThat(result.summary()).contains("(3 published, 1 dead-lettered, 0 duplicates)");
        assertThat(storedWatermark("leaderboard")).as("the watermark moved past it").isEqualTo("4");
        assertThat(counter(PullMetrics.ITEMS, "title", TITLE, "pull", "leaderboard", "outcome", "dead_lettered"))
                .isEqualTo(1);
        assertThat(counter(PullMetrics.ITEMS, "title", TITLE, "pull", "leaderboard", "outcome", "published"))
                .isEqualTo(3);
    }

    @Test
    void aDeadLetteredItemFetchedAgainIsADuplicate() throws Exception {
        PullDefinition pull = pull();
        server.enqueue(json(PAGE_1));
        server.enqueue(json(PAGE_2));
        runner.run(TITLE, pull);
        server.enqueue(json("{\"items\": [{\"id\": \"b\", \"seq\": 2}]}"));

        PullResult again = runner.run(TITLE, pull);

        assertThat(again.duplicatesSkipped()).isEqualTo(1);
        assertThat(again.itemsDeadLettered()).isZero();
        assertThat(publisher.deadLettered).hasSize(1);
    }

    @Test
    void aDeadLetterTheBrokerDidNotConfirmFailsTheRunAndIsSentAgainNextTime() throws Exception {
        PullDefinition pull = pull();
        server.enqueue(json(PAGE_1));
        publisher.deadLetterConfirm = id -> CompletableFuture.failedFuture(new IllegalStateException("nack"));

        PullResult failed = runner.run(TITLE, pull);

        assertThat(failed.outcome()).isEqualTo(PullResult.Outcome.FAILED);
        assertThat(failed.failure()).isEqualTo("halo/leaderboard: page 1: item at index 1 (id b) was not"
                + " dead-lettered: nack; the watermark stays at none");
        assertThat(storedWatermark("leaderboard")).isNull();

        publisher.deadLetterConfirm = id -> CompletableFuture.completedFuture(null);
        server.enqueue(json(PAGE_1));
        server.enqueue(json(PAGE_2));
        PullResult next = runner.run(TITLE, pull);

        assertThat(next.itemsDeadLettered()).isEqualTo(1);
        assertThat(publisher.deadLettered).extracting(RecordingPublisher.DeadLettered::itemId)
                .containsExactly("b", "b");
        assertThat(next.failure()).isNull();
        assertThat(storedWatermark("leaderboard")).isEqualTo("4");
    }
}

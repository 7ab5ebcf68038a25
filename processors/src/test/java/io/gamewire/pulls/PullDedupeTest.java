package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bounded, expiring memory of published item ids, alone and in runs. */
class PullDedupeTest extends PullTestSupport {

    @Test
    void aReFetchedPagePublishesNothingTwice() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]"));
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}, {\"id\": \"d\"}]"));
        PullDefinition pull = new PullBuilder(url("/recent")).build();

        runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, pull);

        assertThat(publisher.ids()).containsExactly("a", "b", "c", "d");
        assertThat(second.itemsSeen()).isEqualTo(4);
        assertThat(second.itemsPublished()).isEqualTo(1);
        assertThat(second.duplicatesSkipped()).isEqualTo(3);
        assertThat(counter(PullMetrics.ITEMS, "title", TITLE, "pull", "leaderboard", "outcome", "duplicate"))
                .isEqualTo(3);
    }

    @Test
    void anInclusiveSinceRepeatsTheLastItemWhichIsSkipped() throws Exception {
        server.enqueue(json("[{\"id\": \"a\", \"at\": \"2026-01-01T00:00:01Z\"}]"));
        server.enqueue(json("[{\"id\": \"a\", \"at\": \"2026-01-01T00:00:01Z\"},"
                + " {\"id\": \"b\", \"at\": \"2026-01-01T00:00:02Z\"}]"));
        PullDefinition pull = new PullBuilder(url("/recent"))
                .watermark("since", "$.at", WatermarkKind.TIMESTAMP, null).build();

        runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, pull);

        assertThat(publisher.ids()).containsExactly("a", "b");
        assertThat(second.watermark()).isEqualTo("2026-01-01T00:00:02Z");
    }

    @Test
    void theSameIdTwiceInOnePageIsPublishedOnce() throws Exception {
        server.enqueue(json("[{\"id\": 7}, {\"id\": 7}]"));

        PullResult result = runner.run(TITLE, new PullBuilder(url("/recent")).build());

        assertThat(publisher.ids()).containsExactly("7");
        assertThat(result.duplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void theDedupeSurvivesARestartAndIsSharedThroughTheKvStore() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}]"));
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]"));
        PullDefinition pull = new PullBuilder(url("/recent")).build();

        runner.run(TITLE, pull);
        // a restart, or a second instance on the same KV store: nothing in memory
        PullResult again = newRunner().run(TITLE, pull);

        assertThat(publisher.ids()).containsExactly("a", "b", "c");
        assertThat(again.duplicatesSkipped()).isEqualTo(2);
        assertThat(kv.scoredSize(PullDedupe.key(TITLE, "leaderboard"))).isEqualTo(3);
    }

    @Test
    void anItemPublishedAgainHasTheMessageIdItHadBefore() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}]"));
        server.enqueue(json("[{\"id\": \"a\"}, {\"id\": \"b\"}]"));
        server.enqueue(json("[{\"id\": \"a\"}]"));
        PullDefinition pull = new PullBuilder(url("/recent")).build();

        runner.run(TITLE, pull);
        List<UUID> before = publisher.messageIds();
        // the dedupe lost (its ids expired, or another KV store): both items are published again
        kv.deleteScored(PullDedupe.key(TITLE, "leaderboard"));
        newRunner().run(TITLE, pull);
        newRunner().run(TITLE, new PullBuilder(url("/recent")).name("other").build());

        assertThat(publisher.ids()).containsExactly("a", "b", "a", "b", "a");
        assertThat(before).doesNotHaveDuplicates();
        assertThat(publisher.messageIds().subList(2, 4)).as("the same items keep their ids").isEqualTo(before);
        assertThat(publisher.messageIds().get(4)).as("the same item id of another pull").isNotEqualTo(before.get(0));
    }

    @Test
    void theMemoryIsBoundedOldestFirst() {
        PullDedupe dedupe = new PullDedupe(kv, "t", 3, Duration.ofHours(1), clock);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            dedupe.markSeen(id);
            dedupe.flush();
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(dedupe.seen("a")).isFalse();
        assertThat(dedupe.seen("b")).isTrue();
        assertThat(dedupe.seen("d")).isTrue();
        assertThat(dedupe.size()).isEqualTo(3);
    }

    @Test
    void idsAreForgottenAfterTheTtl() {
        PullDedupe dedupe = new PullDedupe(kv, "t", 100, Duration.ofMinutes(10), clock);
        dedupe.markSeen("old");
        dedupe.flush();
        clock.advance(Duration.ofMinutes(6));
        dedupe.markSeen("new");
        dedupe.flush();
        clock.advance(Duration.ofMinutes(5));

        assertThat(dedupe.seen("old")).isFalse();
        assertThat(dedupe.seen("new")).isTrue();
    }

    @Test
    void nothingIsMarkedUntilConfirmed() throws Exception {
        publisher.confirm = id -> java.util.concurrent.CompletableFuture.failedFuture(new RuntimeException("nack"));
        server.enqueue(json("[{\"id\": \"a\"}]"));
        server.enqueue(json("[{\"id\": \"a\"}]"));
        PullDefinition pull = new PullBuilder(url("/recent")).build();

        runner.run(TITLE, pull);
        publisher.confirm = id -> java.util.concurrent.CompletableFuture.completedFuture(null);
        PullResult second = runner.run(TITLE, pull);

        assertThat(second.itemsPublished()).isEqualTo(1);
        assertThat(publisher.ids()).containsExactly("a", "a");
    }
}

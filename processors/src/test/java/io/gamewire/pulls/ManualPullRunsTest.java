package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Manual runs: started off the caller's thread, followed page by page, one at a time per pull, and
 * refused by name when the pull is unknown.
 */
class ManualPullRunsTest extends PullTestSupport {

    private final CountDownLatch releaseSecondPage = new CountDownLatch(1);
    private ManualPullRuns runs;
    private PullDefinition pull;

    @BeforeEach
    void twoPagesTheSecondHeldBack() {
        serveTwoPagesTheSecondHeldBack(releaseSecondPage, Duration.ofSeconds(10));
        pull = cursorFeed();
        TitleDefinition title = new TitleDefinition(Path.of("halo.yaml"), TITLE, null, List.of("prod"), List.of(),
                Map.of(), Map.of(pull.name(), pull));
        runs = new ManualPullRuns(runner, () -> Map.of(TITLE, title), 2, clock);
    }

    @AfterEach
    void stopRuns() {
        releaseSecondPage.countDown();
        runs.stop();
    }

    @Test
    void aRunIsFollowedPageByPageUntilItsResult() {
        ManualPullRun run = runs.start(TITLE, pull.name(), null);

        await().atMost(Duration.ofSeconds(10)).until(() -> run.pages() == 1);
        assertThat(run.status()).isEqualTo(ManualPullRun.Status.RUNNING);
        assertThat(run.items()).isEqualTo(2);
        assertThat(run.published()).isEqualTo(2);
        assertThat(run.result()).isNull();
        assertThat(runs.find(run.id())).containsSame(run);

        releaseSecondPage.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.status() == ManualPullRun.Status.DONE);
        assertThat(run.result().outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(run.pages()).isEqualTo(2);
        assertThat(run.items()).isEqualTo(3);
        assertThat(run.elapsed()).isPositive();
        assertThat(storedWatermark(pull.name())).isEqualTo("3");
    }

    @Test
    void aPullRunsOnceAtATime() {
        ManualPullRun first = runs.start(TITLE, pull.name(), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running(TITLE, pull.name()));

        assertThatThrownBy(() -> runs.start(TITLE, pull.name(), "5"))
                .isInstanceOf(ManualPullRuns.PullBusyException.class)
                .hasMessage("pull halo/leaderboard is being run already (run " + first.id() + ", running)");

        releaseSecondPage.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.status() == ManualPullRun.Status.DONE);
        ManualPullRun backfill = runs.start(TITLE, pull.name(), "5");
        await().atMost(Duration.ofSeconds(10)).until(() -> backfill.status() == ManualPullRun.Status.DONE);
        assertThat(backfill.since()).isEqualTo("5");
        assertThat(backfill.result().failure()).isNull();
    }

    @Test
    void aBackfillSendsItsSinceInsteadOfTheStoredWatermark() throws Exception {
        releaseSecondPage.countDown();
        ManualPullRun run = runs.start(TITLE, pull.name(), "42");
        await().atMost(Duration.ofSeconds(10)).until(() -> run.status() == ManualPullRun.Status.DONE);

        assertThat(take().getUrl().queryParameter("since")).isEqualTo("42");
    }

    @Test
    void anUnknownPullIsRefusedByName() {
        assertThatThrownBy(() -> runs.start("nope", "x", null)).isInstanceOf(ManualPullRuns.UnknownPullException.class)
                .hasMessage("no title file defines the title 'nope'");
        assertThatThrownBy(() -> runs.start(TITLE, "x", null)).isInstanceOf(ManualPullRuns.UnknownPullException.class)
                .hasMessage("title halo has no pull 'x' (its pulls: leaderboard)");
        assertThat(runs.pulls()).extracting(Map.Entry::getKey).containsExactly(TITLE);
    }

    @Test
    void aSinceThePullCannotUseIsRefused() {
        PullDefinition noWatermark = new PullBuilder(url("/feed")).name("plain").build();
        PullDefinition byTime = new PullBuilder(url("/feed")).name("timed")
                .watermark("since", "$.at", WatermarkKind.TIMESTAMP, null).build();
        TitleDefinition title = new TitleDefinition(Path.of("halo.yaml"), TITLE, null, List.of("prod"), List.of(),
                Map.of(), Map.of("plain", noWatermark, "timed", byTime));
        ManualPullRuns checked = new ManualPullRuns(runner, () -> Map.of(TITLE, title), 1, clock);
        try {
            assertThatThrownBy(() -> checked.start(TITLE, "plain", "5"))
                    .isInstanceOf(ManualPullRuns.BadRunException.class)
                    .hasMessageStartingWith("pull halo/plain sends no watermark parameter");
            assertThatThrownBy(() -> checked.start(TITLE, "timed", "yesterday"))
                    .isInstanceOf(ManualPullRuns.BadRunException.class)
                    .hasMessageStartingWith("since 'yesterday' is not a timestamp");
            assertThat(checked.start(TITLE, "timed", "2026-11-01").since()).isEqualTo("2026-11-01");
        } finally {
            checked.stop();
        }
    }
}

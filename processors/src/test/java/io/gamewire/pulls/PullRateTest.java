package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.RateShare;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** A host's request budget: in flight at once, requests per window, and pacing from its rate-limit headers. */
class PullRateTest extends PullTestSupport {

    private static final Rate TWO_PER_10S = new Rate(1, 2, Duration.ofSeconds(10), Duration.ofSeconds(1),
            RateShare.HOST);

    @Test
    void rateLimitHeadersSayingTheBudgetIsSpentHoldTheNextRequestInsteadOfMeetingA429() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}]").newBuilder().addHeader("X-App-Rate-Limit", "20:1,100:120")
                .addHeader("X-App-Rate-Limit-Count", "3:1,100:120").build());
        server.enqueue(json("[{\"id\": \"b\"}]"));
        PullDefinition pull = new PullBuilder(url("/matches")).build();

        runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, new PullBuilder(url("/other")).name("other").build());

        assertThat(second.failure()).startsWith("halo/other: page 1: not sent to ")
                .contains("(its rate-limit headers say the budget is spent), 120 s from now");
        clock.advance(Duration.ofSeconds(100));
        assertThat(runner.run(TITLE, pull).failure()).isNull();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(20));
        assertThat(publisher.ids()).containsExactly("a", "b");
    }

    @Test
    void theIetfRateLimitFieldPacesThePagesOfOneRun() throws Exception {
        server.enqueue(json("[{\"id\": \"a\"}]").newBuilder().addHeader("RateLimit", "limit=10, remaining=0, reset=7")
                .build());
        server.enqueue(json("[]"));
        PullDefinition pull = new PullBuilder(url("/matches")).pages(PullDefinition.PagingKind.PAGE, "page", null, 0, 1)
                .build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void requestsPerWindowAreSharedByEveryPullToTheHost() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json("[]"));
        }

        runner.run(TITLE, new PullBuilder(url("/a")).name("a").rate(TWO_PER_10S).build());
        runner.run(TITLE, new PullBuilder(url("/b")).name("b").build());
        runner.run(TITLE, new PullBuilder(url("/c")).name("c").build());

        // the third request of the host waits for the window, although pull c declares no rate
        assertThat(sleeps).containsExactly(Duration.ofSeconds(10));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aWindowFurtherOffThanMaxBackoffRefusesToSendAndSaysWhy() throws Exception {
        server.enqueue(json("[]"));
        Rate onePerHour = new Rate(1, 1, Duration.ofHours(1), Duration.ofSeconds(1), RateShare.HOST);
        PullDefinition pull = new PullBuilder(url("/a")).rate(onePerHour).build();

        runner.run(TITLE, pull);
        PullResult second = runner.run(TITLE, pull);

        assertThat(second.failure()).contains("not sent to " + url("/a"))
                .contains("has used its 1 requests per 3600 s (rate.requests)");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void oneRequestInFlightPerHostByDefault() throws Exception {
        HostBudgets budgets = new HostBudgets(clock);
        PullDefinition a = new PullBuilder(url("/a")).name("a").build();
        PullDefinition b = new PullBuilder(url("/b")).name("b").build();
        HostBudget budget = budgets.budget(URI.create(url("/a")), a);
        assertThat(budgets.budget(URI.create(url("/b?x=1")), b)).isSameAs(budget);

        HostBudget.Permit first = budget.acquire(Duration.ofSeconds(30), sleeps::add);
        AtomicBoolean secondHasIt = new AtomicBoolean();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try (HostBudget.Permit permit = budget.acquire(Duration.ofSeconds(30), sleeps::add)) {
                secondHasIt.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> budgetHasWaiter(budget));
        assertThat(secondHasIt).isFalse();

        first.close();
        second.get();
        assertThat(secondHasIt).isTrue();
    }

    @Test
    void aPullQueuedBehindOneThatMetA429WaitsOutTheHoldItSet() throws Exception {
        HostBudget budget = new HostBudgets(clock).budget(URI.create(url("/a")), new PullBuilder(url("/a")).build());
        HostBudget.Permit first = budget.acquire(Duration.ofSeconds(30), sleeps::add);
        CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> {
            try (HostBudget.Permit permit = budget.acquire(Duration.ofSeconds(30), sleeps::add)) {
                // sent here
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> budget.waiting() > 0);

        // the first request met a 429 with Retry-After 5, then gave its place back
        budget.holdUntil(clock.instant().plusSeconds(5), "HTTP 429 with Retry-After 5");
        first.close();
        queued.get();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aStricterPullTightensTheBudgetInPlaceKeepingWhatIsInFlight() throws Exception {
        HostBudgets budgets = new HostBudgets(clock);
        Rate two = new Rate(2, 0, null, Duration.ofSeconds(1), RateShare.HOST);
        HostBudget budget = budgets.budget(URI.create(url("/a")), new PullBuilder(url("/a")).rate(two).build());
        HostBudget.Permit a = budget.acquire(Duration.ofSeconds(1), sleeps::add);
        HostBudget.Permit b = budget.acquire(Duration.ofSeconds(1), sleeps::add);

        assertThat(budgets.budget(URI.create(url("/b")), new PullBuilder(url("/b")).name("b").build()))
                .isSameAs(budget);
        a.close();
        assertThatThrownBy(() -> budget.acquire(Duration.ofMillis(50), sleeps::add))
                .isInstanceOf(HostBudget.HostBusyException.class)
                .hasMessageContaining("had 1 request(s) in flight (rate.concurrent)");
        b.close();
        budget.acquire(Duration.ofMillis(50), sleeps::add).close();
    }

    @Test
    void aHoldAsLongAsMaxBackoffLeavesTheWindowNoWaitButStillATokenIfOneIsLeft() throws Exception {
        HostBudget budget = new HostBudgets(clock).budget(URI.create(url("/a")),
                new PullBuilder(url("/a")).rate(TWO_PER_10S).build());
        budget.holdUntil(clock.instant().plusSeconds(30), "a test");

        budget.acquire(Duration.ofSeconds(30), sleeps::add).close();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void budgetsArePerHostAndPortOrPerCredential() {
        HostBudgets budgets = new HostBudgets(clock);
        PullDefinition plain = new PullBuilder("https://api.example.com/x").build();
        PullDefinition keyed = new PullBuilder("https://api.example.com/x")
                .auth(new PullDefinition.Auth(PullDefinition.AuthKind.BEARER, null, "EU_KEY"))
                .rate(new Rate(1, 0, null, Duration.ofSeconds(1), RateShare.CREDENTIAL)).build();

        assertThat(HostBudgets.key(URI.create("https://API.example.com/v1"), plain, plain.rate()))
                .isEqualTo("https://api.example.com:443");
        assertThat(HostBudgets.key(URI.create("http://api.example.com:8080/v1"), plain, plain.rate()))
                .isEqualTo("http://api.example.com:8080");
        assertThat(HostBudgets.key(URI.create("https://api.example.com/v1"), keyed, keyed.rate()))
                .isEqualTo("https://api.example.com:443#EU_KEY");
        assertThat(budgets.budget(URI.create("https://api.example.com/v1"), plain))
                .isNotSameAs(budgets.budget(URI.create("https://api.example.com/v1"), keyed));
    }

    @Test
    void theStrictestFiguresOfThePullsToAHostWin() {
        Rate loose = new Rate(4, 100, Duration.ofMinutes(1), Duration.ofSeconds(1), RateShare.HOST);
        Rate tight = new Rate(2, 10, Duration.ofSeconds(10), Duration.ofMinutes(1), RateShare.HOST);

        // 10 per 10 s is 1 a second, below 100 a minute
        assertThat(HostBudgets.strictest(loose, tight)).isEqualTo(new Rate(2, 10, Duration.ofSeconds(10),
                Duration.ofSeconds(1), RateShare.HOST));
        assertThat(HostBudgets.strictest(Rate.DEFAULT, tight)).isEqualTo(new Rate(1, 10, Duration.ofSeconds(10),
                Duration.ofSeconds(1), RateShare.HOST));
    }

    private static boolean budgetHasWaiter(HostBudget budget) {
        return budget.waiting() > 0;
    }
}

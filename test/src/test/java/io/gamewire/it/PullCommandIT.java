package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.GamewireMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gamewire pull} and {@code gamewire pulls} against a running gamewire on the stack the
 * build selects, with scheduling turned off there (manual runs need no schedule): a run of three
 * cursor pages shows its progress and ends with the run's summary, its items stored; {@code
 * --since} sends that watermark; an unknown pull and a wrong token fail with the API's message.
 */
class PullCommandIT {

    private static final String TOKEN = "admin-token-of-the-test";
    /** Three pages by cursor; each is slowed so that the command sees the run between pages. */
    private static final List<String> PAGES = List.of(
            "{\"items\": [{\"player\": \"ann\", \"points\": 3, \"at\": 10}, {\"player\": \"bo\", \"points\": 5, \"at\": 11}],"
                    + " \"next\": \"p2\"}",
            "{\"items\": [{\"player\": \"cy\", \"points\": 8, \"at\": 12}], \"next\": \"p3\"}",
            "{\"items\": [{\"player\": \"di\", \"points\": 1, \"at\": 13}]}");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private PublisherApi publisher;

    @BeforeEach
    void startPublisherAndCaptureOutput() throws Exception {
        // a slow API, so progress can be seen between pages
        publisher = new PublisherApi(request -> {
            String query = request.getQuery();
            return PAGES.get(query != null && query.contains("cursor=p2") ? 1
                    : query != null && query.contains("cursor=p3") ? 2 : 0);
        }, Duration.ofMillis(700));
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        publisher.close();
    }

    @Test
    void pullRunsAPullNowShowingProgressAndPullsListsIt() throws Exception {
        try (GamewireUnderTest gw = start()) {
            int status = GamewireMain.run(command(gw, "pull", gw.title, "scores"));

            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("pull " + gw.title + "/scores: run ")
                    .containsPattern("\n  page [12]: \\d items, \\d published, \\d+ items/s, \\d+\\.\\d s\n")
                    .contains("pull " + gw.title + "/scores ok: 3 pages, 4 items (4 published, 0 dead-lettered,"
                            + " 0 duplicates), watermark 13");
            assertThat(publisher.requests()).hasSize(3);
            assertThat(publisher.requests().get(0).getQuery()).isEqualTo("since=0");
            // confirmed on the bus when the run ends; stored by the consumers a moment later
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores") == 4);

            out.reset();
            assertThat(GamewireMain.run(command(gw, "pulls"))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(gw.title + "/scores  every 1h (not scheduled here)",
                    "breaker closed", "watermark 13", "last run 20");
        }
    }

    @Test
    void sinceMakesABackfillFromThatWatermark() throws Exception {
        try (GamewireUnderTest gw = start()) {
            assertThat(GamewireMain.run(command(gw, "pull", gw.title, "scores", "--since", "5"))).isZero();

            assertThat(out.toString(StandardCharsets.UTF_8)).contains("backfill since 5");
            assertThat(publisher.requests().get(0).getQuery()).isEqualTo("since=5");
        }
    }

    @Test
    void anUnknownPullOrAWrongTokenFailsWithTheApisMessage() throws Exception {
        try (GamewireUnderTest gw = start()) {
            assertThat(GamewireMain.run(command(gw, "pull", gw.title, "nope"))).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 404: title " + gw.title
                    + " has no pull 'nope' (its pulls: scores)");

            err.reset();
            String[] wrongToken = command(gw, "pulls");
            wrongToken[wrongToken.length - 1] = "gamewire.admin.token=wrong";
            assertThat(GamewireMain.run(wrongToken)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 403");
            assertThat(publisher.requests()).isEmpty();
        }
    }

    private GamewireUnderTest start() throws Exception {
        GamewireUnderTest gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", TOKEN);
        gw.overrides.put("gamewire.pulls.enabled", "false");
        gw.writeTitle(gw.titleYamlWithPull("pulls-paged", publisher.url()));
        gw.start();
        return gw;
    }

    /** The command line, the token given as an override as GAMEWIRE_ADMIN_TOKEN would give it. */
    private static String[] command(GamewireUnderTest gw, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + gw.httpPort, "--set", "gamewire.admin.token=" + TOKEN));
        return all.toArray(String[]::new);
    }
}

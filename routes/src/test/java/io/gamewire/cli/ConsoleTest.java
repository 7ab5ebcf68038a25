package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.config.SharedJson;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The console's commands without a terminal or a gamewire: parsing, calls made, output, statuses. */
class ConsoleTest {

    /** Records the calls and answers each path with a canned document. */
    private static final class FakeApi implements ConsoleApi {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> answers;

        FakeApi(Map<String, String> answers) {
            this.answers = answers;
        }

        @Override
        public JsonNode get(String path) throws AdminClient.AdminException {
            calls.add("GET " + path);
            return answer(path);
        }

        @Override
        public JsonNode post(String path, JsonNode body) throws AdminClient.AdminException {
            calls.add("POST " + path + " " + body);
            return answer(path);
        }

        @Override
        public void stream(String path, Consumer<ServerSentEvent> events) {
            calls.add("STREAM " + path);
            events.accept(new ServerSentEvent("message", "1", "{\"routingKey\":\"halo.prod.s.c\",\"messageId\":\"m1\","
                    + "\"exchange\":\"events\",\"payload\":{\"n\":1}}"));
            events.accept(new ServerSentEvent("dropped", null, "{\"dropped\":2,\"totalDropped\":2}"));
        }

        private JsonNode answer(String path) throws AdminClient.AdminException {
            String key = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String answer = answers.get(key);
            if (answer == null) {
                throw new AdminClient.AdminException("gamewire at test answered 404: no " + key);
            }
            try {
                return SharedJson.MAPPER.readTree(answer);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final String TITLES = "{\"titles\": [{\"title\": \"halo\", \"environments\": [\"staging\", \"prod\"],"
            + " \"services\": [{\"service\": \"stats\", \"queues\": [\"halo.staging.stats\", \"halo.prod.stats\"],"
            + " \"commands\": [{\"command\": \"match_end\"}]}], \"pulls\": [{\"pull\": \"leaderboard\"}]}],"
            + " \"routingKeys\": [\"halo.prod.stats.match_end\", \"halo.staging.stats.match_end\"],"
            + " \"notInForce\": [{\"title\": \"broken\", \"problem\": \"line 3: bad\", \"lastGoodVersionInForce\": false}]}";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Console console(FakeApi api, String answers) {
        BufferedReader typed = new BufferedReader(new StringReader(answers));
        return new Console(api, new ConsoleOutput(new PrintWriter(out)), new ConsoleOutput(new PrintWriter(err)), prompt -> {
            try {
                return typed.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        });
    }

    @Test
    void titlesPrintAnAlignedTableAndTheFilesNotInForce() {
        FakeApi api = new FakeApi(Map.of("v1/admin/titles", TITLES));
        assertThat(console(api, "").execute("titles")).isZero();
        assertThat(out.toString()).contains("TITLE  ENVIRONMENTS  SERVICES  COMMANDS  PULLS",
                "halo   staging,prod  stats     1         leaderboard",
                "not in force as written: broken: line 3: bad");
    }

    @Test
    void statsDefaultsToEverythingOverAMinuteAndEncodesThePattern() {
        FakeApi api = new FakeApi(Map.of("v1/admin/stats", "{\"pattern\": \"halo.#\", \"windowSeconds\": 300,"
                + " \"routingKeys\": [{\"routingKey\": \"halo.prod.stats.match_end\", \"events\": {\"total\": 7,"
                + " \"perSecond\": 0.1}}], \"totals\": {\"events\": {\"total\": 7}}}"));
        Console console = console(api, "");
        assertThat(console.execute("stats")).isZero();
        assertThat(console.execute("stats halo.# 5m")).isZero();
        assertThat(api.calls).containsExactly("GET v1/admin/stats?pattern=%23&window=1m",
                "GET v1/admin/stats?pattern=halo.%23&window=5m");
        assertThat(out.toString()).contains("halo.prod.stats.match_end  7", "(total)");
    }

    @Test
    void sqlSendsTheRestOfTheLineAndPrintsTheRows() {
        FakeApi api = new FakeApi(Map.of("v1/admin/sql", "{\"columns\": [\"player\", \"points\"],"
                + " \"rows\": [[\"ann\", 3]], \"truncated\": true}"));
        assertThat(console(api, "").execute("sql SELECT player, points FROM halo_scores")).isZero();
        assertThat(api.calls).containsExactly(
                "POST v1/admin/sql {\"sql\":\"SELECT player, points FROM halo_scores\"}");
        assertThat(out.toString()).contains("player  points", "ann     3", "1 row(s), more left out");
    }

    private static final String DECISION = "{\"service\": \"halo.prod.stats\", \"at\": \"2026-12-03T00:10:00Z\","
            + " \"mode\": \"RECOMMEND\", \"current\": 2, \"planned\": 4, \"applied\": false, \"forecastUpper\": 180.5,"
            + " \"forecastAt\": \"2026-12-03T00:20:00Z\", \"consumerRate\": 50.0, \"reason\": \"4 needed, up from 2\"}";

    @Test
    void capacityWithoutAServiceListsTheLatestDecisions() {
        FakeApi api = new FakeApi(Map.of("v1/admin/capacity", "{\"services\": [" + DECISION + "]}"));

        assertThat(console(api, "").execute("capacity")).isZero();

        assertThat(api.calls).containsExactly("GET v1/admin/capacity");
        assertThat(out.toString()).contains("SERVICE          AT                    MODE       CURRENT  PLANNED",
                "halo.prod.stats  2026-12-03T00:10:00Z  RECOMMEND  2        4        no       180.5        4 needed");
    }

    @Test
    void capacityOfAServiceSummarisesItAndListsEveryDecision() {
        FakeApi api = new FakeApi(Map.of("v1/admin/capacity/halo.prod.stats", "{\"service\": \"halo.prod.stats\","
                + " \"now\": \"2026-12-03T00:12:00Z\", \"currentRate\": 123.4, \"currentConsumers\": 2.0,"
                + " \"nowForecast\": {\"prediction\": 120.0, \"lower\": 100.0, \"upper\": 140.0, \"aberration\": false},"
                + " \"peak\": {\"at\": \"2026-12-03T20:00:00Z\", \"prediction\": 210.25, \"upper\": 240.0},"
                + " \"forecastHours\": 24, \"aberrations\": [{\"start\": \"2026-12-02T15:10:00Z\","
                + " \"end\": \"2026-12-02T15:40:00Z\"}], \"planner\": \"on\", \"decision\": " + DECISION
                + ", \"history\": [" + DECISION + "]}"));

        assertThat(console(api, "").execute("capacity halo.prod.stats")).isZero();

        assertThat(api.calls).containsExactly("GET v1/admin/capacity/halo.prod.stats");
        assertThat(out.toString()).contains("halo.prod.stats at 2026-12-03T00:12:00Z",
                "  now            123.4 msg/s (forecast 120.0, band 100.0 to 140.0)",
                "  forecast peak  210.3 msg/s at 2026-12-03T20:00:00Z (upper band 240.0), within 24 h",
                "  consumers      2 now, 4 planned (RECOMMEND, not applied, decided 2026-12-03T00:10:00Z)",
                "  why            4 needed, up from 2",
                "  aberrations    1 in the archive, latest 2026-12-02T15:10:00Z to 2026-12-02T15:40:00Z",
                "decisions, oldest first:", "2026-12-03T00:10:00Z  RECOMMEND  2        4");
    }

    @Test
    void capacityRefusedSaysWhy() {
        assertThat(console(new FakeApi(Map.of()), "").execute("capacity halo.prod.nope")).isEqualTo(Console.FAILED);
        assertThat(console(new FakeApi(Map.of()), "").execute("capacity a b")).isEqualTo(Console.USAGE);
        assertThat(err.toString()).contains("capacity: gamewire at test answered 404: no v1/admin/capacity/halo.prod.nope",
                "capacity takes at most one service (usage: capacity [SERVICE])");
    }

    @Test
    void capacityCompletesTheServices() {
        ConsoleCompletion completion = new ConsoleCompletion(List.of("capacity", "help"), () -> {
            try {
                return SharedJson.MAPPER.readTree(TITLES);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(completion.candidates(List.of("capacity"), "halo.p")).containsExactly("halo.prod.stats");
        assertThat(completion.candidates(List.of(), "cap")).containsExactly("capacity");
    }

    @Test
    void aRefusalFailsWithTheApisMessage() {
        FakeApi api = new FakeApi(Map.of());
        assertThat(console(api, "").execute("event 0190a0a0-0000-7000-8000-000000000000")).isEqualTo(Console.FAILED);
        assertThat(err.toString()).contains("event: gamewire at test answered 404");
    }

    @Test
    void usageErrorsNameTheUsage() {
        Console console = console(new FakeApi(Map.of()), "");
        assertThat(console.execute("kv KEY")).isEqualTo(Console.USAGE);
        assertThat(console.execute("replay abc --from prod")).isEqualTo(Console.USAGE);
        assertThat(console.execute("frobnicate")).isEqualTo(Console.USAGE);
        assertThat(err.toString()).contains("kv takes get and one key (usage: kv get KEY)",
                "(usage: replay ID --to ENV [--prod])", "unknown command 'frobnicate'");
    }

    @Test
    void sendToProdAsksForTheTitleNameAndSendsNothingWithoutIt() {
        FakeApi api = new FakeApi(Map.of("v1/admin/send", "{\"messageId\": \"m2\", \"routingKey\": \"halo.prod.stats.match_end\"}"));
        assertThat(console(api, "hola\n").execute("send halo.prod.stats.match_end {\"kills\": 3} --prod"))
                .isEqualTo(Console.FAILED);
        assertThat(api.calls).isEmpty();
        assertThat(err.toString()).contains("not confirmed: nothing was sent");

        assertThat(console(api, "halo\n").execute("send halo.prod.stats.match_end {\"kills\": 3} --prod")).isZero();
        assertThat(api.calls).containsExactly("POST v1/admin/send {\"routingKey\":\"halo.prod.stats.match_end\","
                + "\"prod\":true,\"payload\":{\"kills\":3}}");
        assertThat(out.toString()).contains("sent m2 to halo.prod.stats.match_end");
    }

    @Test
    void sendWithoutProdDoesNotAskAndPassesTheJsonWithItsSpaces() {
        FakeApi api = new FakeApi(Map.of("v1/admin/send", "{\"messageId\": \"m3\", \"routingKey\": \"halo.staging.stats.match_end\"}"));
        assertThat(console(api, "").execute("send halo.stats.match_end {\"name\": \"a b\"}")).isZero();
        assertThat(api.calls).containsExactly("POST v1/admin/send {\"routingKey\":\"halo.stats.match_end\","
                + "\"prod\":false,\"payload\":{\"name\":\"a b\"}}");
    }

    @Test
    void tailPrintsEachMessageAndWhatWasDropped() {
        FakeApi api = new FakeApi(Map.of());
        assertThat(console(api, "").execute("tail halo.*.stats.# --dead-letters")).isZero();
        assertThat(api.calls).containsExactly("STREAM v1/admin/tail?pattern=halo.*.stats.%23&deadLetters=true");
        assertThat(out.toString()).contains("--:--:--.--- halo.prod.s.c - {\"n\":1}", "(dropped: {\"dropped\":2,\"totalDropped\":2})");
    }

    @Test
    void tailWithALimitAsksGamewireToEndTheStreamAfterThatManyEvents() {
        FakeApi api = new FakeApi(Map.of());
        assertThat(console(api, "").execute("tail --limit 2 halo.#")).isZero();
        assertThat(api.calls).containsExactly("STREAM v1/admin/tail?pattern=halo.%23&limit=2");
        assertThat(out.toString()).startsWith("following halo.# for 2 event(s)");
        assertThat(console(api, "").execute("tail halo.# --limit 0")).isEqualTo(Console.USAGE);
        assertThat(console(api, "").execute("tail halo.# --limit")).isEqualTo(Console.USAGE);
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() {
        Console console = console(new FakeApi(Map.of()), "");
        assertThat(console.execute("help")).isZero();
        assertThat(out.toString()).contains("titles", "compare ID ID", "send ROUTING-KEY JSON [--prod]");
        assertThat(console.execute("help replay")).isZero();
        assertThat(out.toString()).contains("replay ID --to ENV [--prod]\n  publishes a stored event again");
        assertThat(console.execute("exit")).isZero();
        assertThat(console.exitRequested()).isTrue();
    }

    @Test
    void completionOffersCommandsThenTitlesRoutingKeysQueuesAndPulls() throws Exception {
        FakeApi api = new FakeApi(Map.of("v1/admin/titles", TITLES));
        Console console = console(api, "");
        ConsoleCompletion completion = new ConsoleCompletion(console.commandNames(), () -> {
            try {
                return api.get("v1/admin/titles");
            } catch (AdminClient.AdminException e) {
                return null;
            }
        });
        assertThat(completion.candidates(List.of(), "st")).containsExactly("stats");
        assertThat(completion.candidates(List.of("stats"), "halo.p")).containsExactly("halo.prod.#",
                "halo.prod.stats.match_end");
        assertThat(completion.candidates(List.of("send"), "halo.st")).containsExactly("halo.stats.match_end",
                "halo.staging.stats.match_end");
        assertThat(completion.candidates(List.of("dlq", "list"), "")).containsExactly("halo.prod.stats",
                "halo.staging.stats");
        assertThat(completion.candidates(List.of("pull", "halo"), "")).containsExactly("leaderboard");
        assertThat(completion.candidates(List.of("help"), "com")).containsExactly("compare");
        assertThat(api.calls).containsExactly("GET v1/admin/titles"); // read once
    }

    @Test
    void completionWithoutAGamewireStillCompletesCommands() {
        ConsoleCompletion completion = new ConsoleCompletion(List.of("titles", "tail"), () -> null);
        assertThat(completion.candidates(List.of(), "t")).containsExactly("titles", "tail");
        assertThat(completion.candidates(List.of("tail"), "")).containsExactly("#");
        assertThat(completion.candidates(List.of("tail", "halo.#"), "--")).containsExactly("--dead-letters", "--limit");
    }
}

package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.cli.TitleCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamewire validate} and {@code gamewire docs} on the shipped titles and on broken ones. */
class TitleCommandsTest {

    private static final Path SHIPPED = Path.of("../config/titles");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream saved;

    @BeforeEach
    void capture() {
        saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(saved);
    }

    @Test
    void theShippedTitlesValidate() {
        assertThat(TitleCommands.validate(SHIPPED)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 title file(s)").contains("2 valid, 0 problem(s)");
    }

    @Test
    void problemsAreListedAndTheExitStatusIsOne(@TempDir Path dir) throws Exception {
        Files.copy(SHIPPED.resolve("halo.yaml"), dir.resolve("halo.yaml"));
        Files.writeString(dir.resolve("bad.yaml"), "title: bad\nenvironments: [prod]\nservices:\n  s:\n    comands: {}\n");
        Files.writeString(dir.resolve("copy.yaml"), Files.readString(SHIPPED.resolve("halo.yaml"))
                .replace("title: halo", "title: copy").replace("varchar(32)", "varchar(40)"));

        assertThat(TitleCommands.validate(dir)).isEqualTo(1);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("bad.yaml:5:5: services.s.comands: unknown field 'comands'")
                .contains("bad.yaml:4:3: services.s: missing required field 'commands'")
                .contains("table 'halo_matches' is also declared, with other columns or key, by")
                .contains("3 title file(s)");
    }

    @Test
    void docsWriteMarkdownAndAnOpenApiDocumentListingEveryCommand(@TempDir Path dir) throws Exception {
        assertThat(TitleCommands.docs(SHIPPED, dir)).isZero();

        JsonNode openApi = new ObjectMapper().readTree(dir.resolve("halo.openapi.json").toFile());
        assertThat(openApi.get("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        openApi.get("paths").fieldNames().forEachRemaining(paths::add);
        for (String env : List.of("prod", "staging")) {
            assertThat(paths).contains("/v1/events/halo." + env + ".stats.match_end", "/v1/events/halo." + env
                    + ".stats.player_stats", "/v1/events/halo." + env + ".players.get");
        }
        JsonNode matchEnd = openApi.at("/paths/~1v1~1events~1halo.prod.stats.match_end/post");
        assertThat(matchEnd.at("/requestBody/content/application~1json/schema/required").toString())
                .isEqualTo("[\"matchId\",\"map\",\"durationSeconds\"]");
        assertThat(matchEnd.at("/responses/202/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Accepted");

        String markdown = Files.readString(dir.resolve("halo.md"));
        assertThat(markdown).contains("| `halo.{env}.stats.match_end` |")
                .contains("curl -X POST").contains("http://127.0.0.1:8080/v1/events/halo.prod.stats.match_end")
                .contains("```hex\n47 57 01 02").contains("SQL: table `halo_matches`, one row per `match_id`")
                .contains("KV store: key `player:{payload.playerId}`").contains("Cache: key `match:{payload.matchId}`, TTL 600 s.");
        assertThat(dir.resolve("kart.openapi.json")).exists();
        assertThat(Files.readString(dir.resolve("kart.md"))).contains("## Pulls").contains("| `race-results` | every 5m"
                + " | `{env:KART_API_URL}/v1/races` | `kart.staging.laps.race_finished` | Finished races from the Kart"
                + " publisher API |");
        assertThat(markdown).doesNotContain("## Pulls");
    }

    @Test
    void docsSayWhichCommandsKeepNoEventsRow(@TempDir Path dir) throws Exception {
        Path titles = Files.createDirectories(dir.resolve("titles"));
        Files.writeString(titles.resolve("t.yaml"), """
                title: t
                environments: [prod]
                services:
                  stats:
                    commands:
                      seen:
                        description: A player was seen
                        event-row: false
                        kv: {key: "seen:{payload.id}", fields: {map: $.map}}
                      end:
                        kv: {key: "end:{payload.id}", fields: {map: $.map}}
                """);
        assertThat(TitleCommands.docs(titles, dir.resolve("out"))).isZero();

        String markdown = Files.readString(dir.resolve("out").resolve("t.md"));
        assertThat(markdown).contains("| `t.{env}.stats.seen` | A player was seen | any JSON | KV (no events row) |")
                .contains("No `events` row (`event-row: false`)")
                .containsOnlyOnce("No `events` row");
    }

    @Test
    void docsShowEachQuerysSourcesInTheOrderTheyAreTried(@TempDir Path dir) throws Exception {
        assertThat(TitleCommands.docs(SHIPPED, dir)).isZero();

        String markdown = Files.readString(dir.resolve("halo.md"));
        assertThat(markdown).contains("| `halo.{env}.players.get` | Read a player's record | [fields](#players-get)"
                        + " | events table; query: cache → KV |")
                .contains("| `halo.{env}.players.match` | Read a match's result | [fields](#players-match)"
                        + " | events table; query: cache → SQL `halo_matches` |")
                .contains("""
                        1. cache `player-view:{payload.playerId}`: a copy of an earlier answer, kept 60 s, so it may be \
                        up to 60 s stale; filled with the answer when the sources below had it
                        2. KV record `player:{payload.playerId}`: its fields, as strings
                        """)
                .contains("""
                        2. SQL table `halo_matches`, the row where `match_id` = `$.matchId`: its columns `match_id` \
                        (string), `map` (string), `mode` (string), `duration_s` (integer); a NULL column is left out
                        """)
                .contains("'http://127.0.0.1:8080/v1/query/halo.prod.players.match?matchId=matchId-1'");

        JsonNode openApi = new ObjectMapper().readTree(dir.resolve("halo.openapi.json").toFile());
        JsonNode match = openApi.at("/paths/~1v1~1query~1halo.staging.players.match/get");
        assertThat(match.at("/parameters/0/name").asText()).isEqualTo("matchId");
        assertThat(match.at("/parameters/0/required").asBoolean()).isTrue();
        assertThat(match.at("/responses/404/description").asText()).isEqualTo("no source has the record");
        assertThat(openApi.at("/paths/~1v1~1query~1halo.prod.stats.match_end").isMissingNode()).isTrue();
    }
}

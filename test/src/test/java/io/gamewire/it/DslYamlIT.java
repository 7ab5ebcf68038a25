package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.deploy.TitleDeployer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worked example of dsl-yaml/ (a per-map leaderboard in the KV store) running against the
 * shipped halo title, both renamed for this run; then the route file edited while gamewire runs.
 */
class DslYamlIT {

    private static final Path REPO = GamewireUnderTest.REPO_CONFIG.getParent();
    private GamewireUnderTest gw;
    private String halo;
    private Path route;

    @BeforeEach
    void start() throws Exception {
        gw = new GamewireUnderTest();
        halo = "h" + gw.id;
        Files.writeString(gw.titlesDir.resolve(halo + ".yaml"),
                Files.readString(REPO.resolve("config/titles/halo.yaml")).replace("halo", halo));
        Path dslDir = gw.dataDir.resolve("dsl-yaml");
        Files.createDirectories(dslDir);
        route = dslDir.resolve("leaderboard.camel.yaml");
        Files.writeString(route, Files.readString(REPO.resolve("dsl-yaml/halo-leaderboard.camel.yaml")).replace("halo", halo));
        gw.overrides.put("gamewire.dsl-yaml.dir", dslDir.toString());
        for (String env : new String[] {"prod", "staging"}) {
            gw.extraServices.add(halo + "." + env + ".stats");
            gw.extraServices.add(halo + "." + env + ".players");
        }
        gw.extraServices.add(halo + ".leaderboard");
        gw.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.camel().getRoute(TitleDeployer.routeId(halo + ".prod.stats")) != null);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private void playerStats(String gamertag, int kills) throws Exception {
        String body = """
                {"playerId":"p-%s","gamertag":"%s","matchId":"m1","map":"Blood Gulch","kills":%d,"deaths":1}
                """.formatted(gamertag, gamertag, kills);
        // the copied halo title keeps its demo key
        assertThat(gw.post("/v1/events/" + halo + ".prod.stats.player_stats", "application/json", body, "halo-demo-key")
                .statusCode()).isEqualTo(202);
    }

    private Map<String, String> record(String key) {
        return gw.bean("kvStore", KvStore.class).get(key);
    }

    @Test
    void theLeaderboardCountsKillsPerMapAndTheRouteReloadsWhenEdited() throws Exception {
        assertThat(gw.camel().getRoute(halo + "-map-leaderboard")).isNotNull();
        playerStats("ada", 7);
        playerStats("ada", 5);
        playerStats("bob", 2);

        await().atMost(Duration.ofSeconds(15)).until(() -> record("leaderboard:prod:Blood Gulch"),
                board -> "12".equals(board.get("ada")) && "2".equals(board.get("bob")));

        Files.writeString(route, Files.readString(route).replace("\"leaderboard:", "\"board:"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            playerStats("cy", 1);
            return record("board:prod:Blood Gulch").containsKey("cy");
        });
    }

    @Test
    void aServiceNamingAUserTemplateGetsItsConsumerFromIt() throws Exception {
        Files.writeString(gw.dataDir.resolve("dsl-yaml").resolve("counted.camel.yaml"),
                Files.readString(REPO.resolve("dsl-yaml/counted-consumer.camel.yaml")));
        String counted = "c" + gw.id;
        for (String env : new String[] {"prod", "staging"}) {
            gw.extraServices.add(counted + "." + env + ".stats");
            gw.extraServices.add(counted + "." + env + ".players");
        }
        Files.writeString(gw.titlesDir.resolve(counted + ".yaml"), Files.readString(REPO.resolve("config/titles/halo.yaml"))
                .replace("halo", counted)
                .replace("consumers: {min: 1, max: 4}", "consumers: {min: 1, max: 4, template: counted-consumer}")
                // a key of its own: two titles with one secret would leave it to the other title
                .replace(ApiKeyRing.sha256("halo-demo-key"), ApiKeyRing.sha256("counted-demo-key")));
        String queue = counted + ".prod.stats";
        await().atMost(Duration.ofSeconds(20)).until(() -> gw.camel().getRoute(TitleDeployer.routeId(queue)) != null);

        String body = """
                {"playerId":"p-1","gamertag":"ada","matchId":"m1","map":"Blood Gulch","kills":3,"deaths":1}
                """;
        assertThat(gw.post("/v1/events/" + queue + ".player_stats", "application/json", body, "counted-demo-key")
                .statusCode()).isEqualTo(202);

        // counted by the user's template, after gamewire's store step wrote the event
        await().atMost(Duration.ofSeconds(15)).until(() -> record("counted:" + queue),
                counts -> "1".equals(counts.get(queue + ".player_stats")));
        assertThat(gw.camel().getRoute(TitleDeployer.routeId(queue)).isCreatedByRouteTemplate()).isTrue();
    }
}

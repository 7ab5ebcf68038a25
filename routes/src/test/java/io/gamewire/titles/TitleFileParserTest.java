package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TitleFileParserTest {

    private static final Path CONFIG = Path.of("../config/titles");
    private final TitleFileParser parser = new TitleFileParser();

    private List<String> problems(String yaml) {
        return parser.parse(Path.of("t.yaml"), yaml).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void theShippedExamplesParse() {
        TitleFileParser.Result halo = parser.parse(CONFIG.resolve("halo.yaml"));
        TitleFileParser.Result kart = parser.parse(CONFIG.resolve("kart.yaml"));

        assertThat(halo.problems()).isEmpty();
        assertThat(kart.problems()).isEmpty();
        TitleDefinition definition = halo.definition();
        assertThat(definition.serviceKeys()).containsExactly("halo.prod.stats", "halo.prod.players",
                "halo.staging.stats", "halo.staging.players");
        assertThat(definition.keys().get(0).access()).containsExactlyInAnyOrder(Access.PUBLISH, Access.QUERY);
        assertThat(definition.keys().get(1).access()).containsExactly(Access.QUERY);
        assertThat(definition.services().get("stats").commands().get("match_end").cache().ttl())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(definition.services().get("stats").commands().get("player_stats").sql().key())
                .containsExactly("player_id", "match_id");
    }

    @Test
    void unknownFieldsAreRefusedWithLineColumnAndPath() {
        assertThat(problems("""
                title: t
                environments: [prod]
                services:
                  stats:
                    prefetsh: 10
                    commands:
                      end: {}
                """)).containsExactly("t.yaml:5:5: services.stats.prefetsh: unknown field 'prefetsh'; allowed here: "
                + "commands, consumers, description, max-attempts, prefetch");
    }

    @Test
    void everyProblemOfAFileIsReportedInOnePass() {
        assertThat(problems("""
                title: T
                environments: [prod, prod]
                keys:
                  - name: k
                    sha256: abc
                    environments: [qa]
                services:
                  stats:
                    consumers: {min: 3, max: 2}
                    commands:
                      end:
                        schema:
                          fields: {id: strin}
                        sql:
                          table: t1
                          key: [nope]
                          columns:
                            id: {type: varchar(99999), from: $.id}
                            x: {type: int, from: $.undeclared}
                        cache:
                          key: "e:{payload}"
                          ttl: 1y
                """)).containsExactly(
                "t.yaml:1:8: title: 'T' must be 1 to 32 characters of [a-z0-9_-]",
                "t.yaml:2:22: environments[1]: environment 'prod' is listed twice",
                "t.yaml:5:13: keys[0].sha256: 'abc' must be the key's SHA-256 as 64 lower-case hex digits",
                "t.yaml:6:20: keys[0].environments[0]: environment 'qa' is not one of the title's environments [prod]",
                "t.yaml:9:16: services.stats.consumers: max (2) is below min (3)",
                "t.yaml:13:24: services.stats.commands.end.schema.fields.id: 'strin' must be one of string, integer, number, boolean, object, array",
                "t.yaml:16:17: services.stats.commands.end.sql.key[0]: upsert key column 'nope' is not one of the columns",
                "t.yaml:18:24: services.stats.commands.end.sql.columns.id.type: 'varchar(99999)' is not a column type: varchar(1..4096), text, int, bigint, double or boolean",
                "t.yaml:19:34: services.stats.commands.end.sql.columns.x.from: payload field 'undeclared' ($.undeclared) is not declared in the command's schema",
                "t.yaml:21:16: services.stats.commands.end.cache.key: key template 'e:{payload}': unknown placeholder {payload}; use {payload.<field>}, {title}, {env}, {service}, {command} or {messageId}",
                "t.yaml:22:16: services.stats.commands.end.cache.ttl: '1y' is not a TTL such as 30s, 10m, 2h or 1d");
    }

    @Test
    void missingRequiredFieldsAndTitleFileMismatchAreNamed() {
        assertThat(problems("""
                title: other
                services: {}
                """)).containsExactly(
                "t.yaml:1:1: missing required field 'environments'",
                "t.yaml:1:8: title: title 'other' must match the file name (t.yaml)",
                "t.yaml:2:11: services: a title needs at least one service");
    }

    @Test
    void aKeyNeedsExactlyOneSecretSource() {
        assertThat(problems("""
                title: t
                environments: [prod]
                keys:
                  - name: k
                    environments: [prod]
                services:
                  s:
                    commands: {c: {}}
                """)).containsExactly("t.yaml:4:5: keys[0]: a key needs exactly one of 'sha256' (hash of the key) or "
                + "'from-env' (variable holding it)");
    }

    @Test
    void yamlSyntaxErrorsCarryTheirPosition() {
        assertThat(problems("title: t\nenvironments: [prod\nservices: {}\n")).singleElement()
                .asString().startsWith("t.yaml:3:").contains("YAML syntax");
    }
}

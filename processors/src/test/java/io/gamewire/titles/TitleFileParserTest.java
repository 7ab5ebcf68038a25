package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.QuerySpec;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        QuerySpec player = definition.services().get("players").commands().get("get").query();
        assertThat(player.cache().ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(player.kv().text()).isEqualTo("player:{payload.playerId}");
        assertThat(player.sql()).isNull();
        QuerySpec match = definition.services().get("players").commands().get("match").query();
        assertThat(match.kv()).isNull();
        assertThat(match.sql().table()).isSameAs(definition.services().get("stats").commands().get("match_end").sql());
        assertThat(match.sql().key()).containsOnlyKeys("match_id");
        assertThat(definition.pulls()).isEmpty();
        PullDefinition races = kart.definition().pulls().get("race-results");
        assertThat(races.request().url()).isEqualTo("{env:KART_API_URL}/v1/races");
        assertThat(races.paging().kind()).isEqualTo(PullDefinition.PagingKind.CURSOR);
        assertThat(races.watermark().param()).isEqualTo("since");
        assertThat(races.emit().routingKey()).isEqualTo("kart.staging.laps.race_finished");
    }

    private static final String QUERY_TITLE = """
            title: t
            environments: [prod]
            services:
              players:
                commands:
                  view:
                    schema:
                      fields: {playerId: string, matchId: string}
                    query:
            %s
              stats:
                commands:
                  player_stats:
                    sql:
                      table: t_player_matches
                      key: [player_id, match_id]
                      columns:
                        player_id: {type: varchar(64), from: $.playerId}
                        match_id: {type: varchar(64), from: $.matchId}
                        kills: {type: int, from: $.kills}
            """;

    private static String query(String... lines) {
        return QUERY_TITLE.formatted(String.join("\n", java.util.Arrays.stream(lines).map(line -> "          " + line)
                .toList()));
    }

    @Test
    void aQueryReadsCacheKvAndSqlAndItsTableMayBeDeclaredFurtherDown() {
        TitleFileParser.Result result = parser.parse(Path.of("t.yaml"), query(
                "cache: {key: \"view:{payload.playerId}:{payload.matchId}\", ttl: 1m}",
                "kv: \"player:{payload.playerId}\"",
                "sql:",
                "  table: t_player_matches",
                "  key: {match_id: $.matchId, player_id: $.playerId}"));

        assertThat(result.problems()).isEmpty();
        TitleDefinition definition = result.definition();
        QuerySpec query = definition.services().get("players").commands().get("view").query();
        assertThat(query.cache().key().text()).isEqualTo("view:{payload.playerId}:{payload.matchId}");
        assertThat(query.cache().ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(query.kv().text()).isEqualTo("player:{payload.playerId}");
        assertThat(query.sql().table()).isEqualTo(definition.services().get("stats").commands().get("player_stats").sql());
        // in the table's key order, whatever the file's
        assertThat(query.sql().key().keySet()).containsExactly("player_id", "match_id");
        assertThat(query.sql().key().get("match_id").text()).isEqualTo("$.matchId");
    }

    @Test
    void aQueryNeedsASourceBeyondTheCache() {
        assertThat(problems(query("cache: {key: \"view:{payload.playerId}\", ttl: 1m}"))).containsExactly(
                "t.yaml:9:9: services.players.commands.view.query: a query needs a source: kv (a KV record), sql (a"
                        + " table row) or both; the cache only keeps copies of their answers");
    }

    @Test
    void aQuerysTableMustBeDeclaredInTheSameFile() {
        assertThat(problems(query("sql: {table: halo_matches, key: {match_id: $.matchId}}"))).containsExactly(
                "t.yaml:10:24: services.players.commands.view.query.sql.table: table 'halo_matches' is not declared by"
                        + " a sql: sink of this title file (tables: t_player_matches)");
    }

    @Test
    void aQuerysKeyNamesExactlyTheTablesKeyColumns() {
        assertThat(problems(query("sql:", "  table: t_player_matches", "  key: {match_id: $.matchId, kills: $.playerId}")))
                .containsExactly(
                        "t.yaml:12:18: services.players.commands.view.query.sql.key: every key column of table"
                                + " 't_player_matches' needs a value, to read one row; missing: player_id",
                        "t.yaml:12:40: services.players.commands.view.query.sql.key.kills: column 'kills' is not a key"
                                + " column of table 't_player_matches' (key: player_id, match_id)");
    }

    @Test
    void aQuerysPathsMustReadDeclaredFieldsAndItsFieldsAreChecked() {
        assertThat(problems(query(
                "cache: {key: \"view:{payload.nope}\", ttl: 1y}",
                "kv: \"player:{payload.playerId}\"",
                "sql: {table: t_player_matches, key: {player_id: $.playerId, match_id: $.gameId}, where: x}",
                "kv2: x"))).containsExactly(
                "t.yaml:10:24: services.players.commands.view.query.cache.key: payload field 'nope' ($.nope) is not"
                        + " declared in the command's schema",
                "t.yaml:10:52: services.players.commands.view.query.cache.ttl: '1y' is not a TTL such as 30s, 10m, 2h or 1d",
                "t.yaml:12:81: services.players.commands.view.query.sql.key.match_id: payload field 'gameId' ($.gameId)"
                        + " is not declared in the command's schema",
                "t.yaml:12:92: services.players.commands.view.query.sql.where: unknown field 'where'; allowed here: key, table",
                "t.yaml:13:11: services.players.commands.view.query.kv2: unknown field 'kv2'; allowed here: cache, kv, sql");
    }

    @Test
    void aQuerysCacheKeyCannotUseTheRequestsMessageId() {
        assertThat(problems(query("cache: {key: \"view:{messageId}\", ttl: 1m}", "kv: \"player:{payload.playerId}\"")))
                .containsExactly("t.yaml:10:18: services.players.commands.view.query.cache: a query's cache key cannot"
                        + " use {messageId}: every request has its own, so no answer would ever be found in the cache");
    }

    @Test
    void aSchemaFieldMayBeMarkedRedactWithTheLongForm() {
        TitleDefinition title = parser.parse(Path.of("t.yaml"), """
                title: t
                environments: [prod]
                services:
                  accounts:
                    commands:
                      signup:
                        schema:
                          fields: {player: string, email: {type: string, redact: true}, tag: {type: string, redact: false}}
                """).definition();
        var schema = title.services().get("accounts").commands().get("signup").schema();
        assertThat(schema.fields()).containsOnlyKeys("player", "email", "tag");
        assertThat(schema.fields().get("email")).isEqualTo(io.gamewire.titles.model.PayloadSchema.FieldType.STRING);
        assertThat(schema.redacted()).containsExactly("email");
    }

    @Test
    void aRedactThatIsNoBooleanOrAFieldWithoutTypeIsAProblemWithItsPosition() {
        assertThat(problems("""
                title: t
                environments: [prod]
                services:
                  accounts:
                    commands:
                      signup:
                        schema:
                          fields:
                            email: {type: string, redact: yes-please}
                            card: {redact: true}
                            pin: {type: string, hide: true}
                """)).containsExactly(
                "t.yaml:9:43: services.accounts.commands.signup.schema.fields.email.redact: 'yes-please' must be true or false",
                "t.yaml:10:13: services.accounts.commands.signup.schema.fields.card: missing required field 'type'",
                "t.yaml:11:33: services.accounts.commands.signup.schema.fields.pin.hide: unknown field 'hide'; allowed here: "
                        + "redact, type");
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
    void aCommandMayGoWithoutItsEventsRowOnlyWithASinkOfItsOwn() {
        String file = """
                title: t
                environments: [prod]
                services:
                  stats:
                    commands:
                      end:
                        event-row: false
                        kv: {key: "match:{payload.id}", fields: {map: $.map}}
                      start: {}
                      nowhere: {event-row: false}
                      loud: {event-row: maybe}
                      cached: {event-row: false, cache: {key: "c:{payload.id}", ttl: 1m}}
                """;
        TitleFileParser.Result result = parser.parse(Path.of("t.yaml"), file);

        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "t.yaml:10:28: services.stats.commands.nowhere.event-row: false needs a sink that keeps the event"
                        + " (sql or kv; a cache entry expires): without its events row, an event of this command"
                        + " would be stored nowhere",
                "t.yaml:11:25: services.stats.commands.loud.event-row: 'maybe' must be true or false",
                "t.yaml:12:27: services.stats.commands.cached.event-row: false needs a sink that keeps the event"
                        + " (sql or kv; a cache entry expires): without its events row, an event of this command"
                        + " would be stored nowhere");
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
                "t.yaml:5:13: keys[0].sha256: the value (3 characters, not shown: it may be a secret) must be the key's SHA-256 as 64 lower-case hex digits",
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
    void aServiceMayNameItsConsumerTemplateButNotThePullTemplate() {
        String title = """
                title: t
                environments: [prod]
                services:
                  s:
                    consumers: {min: 1, max: 2, template: %s}
                    commands:
                      c: {}
                """;
        TitleFileParser.Result own = parser.parse(Path.of("t.yaml"), title.formatted("counted-consumer"));
        assertThat(own.problems()).isEmpty();
        assertThat(own.definition().services().get("s").consumerTemplate()).isEqualTo("counted-consumer");
        assertThat(parser.parse(Path.of("t.yaml"), title.replace(", template: %s", "")).definition()
                .services().get("s").consumerTemplate()).isEqualTo("service-consumer");
        assertThat(problems(title.formatted("pull"))).containsExactly(
                "t.yaml:5:43: services.s.consumers.template: 'pull' is gamewire's template of scheduled pulls,"
                        + " not a consumer template");
        assertThat(problems(title.formatted("Bad_Id"))).singleElement().asString()
                .contains("services.s.consumers.template", "must be a route template id");
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

    @Test
    void anUnreadableFileIsRefusedSayingWhyNotWithAnExceptionsText(@TempDir Path dir) throws Exception {
        // the tests run as root, whom permissions do not stop: a directory and a dangling link cannot be read by anyone
        Path directory = Files.createDirectory(dir.resolve("a.yaml"));
        Path dangling = Files.createSymbolicLink(dir.resolve("b.yaml"), dir.resolve("gone.yaml"));
        Path latin1 = Files.write(dir.resolve("c.yaml"), "title: c\ndescription: caf\u00e9\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(parser.parse(directory).problems()).extracting(Problem::toString)
                .containsExactly(directory + ":1:1: cannot read the file: it is a directory, not a file");
        assertThat(parser.parse(dangling).problems()).extracting(Problem::toString)
                .containsExactly(dangling + ":1:1: cannot read the file: it is a symbolic link to "
                        + dir.resolve("gone.yaml") + ", which does not exist");
        assertThat(parser.parse(latin1).problems()).extracting(Problem::toString)
                .containsExactly(latin1 + ":1:1: the file is not UTF-8 text; save it as UTF-8");
        assertThat(parser.parse(dangling).definition()).isNull();
    }

    @Test
    void aListOrAMappingWhereASingleValueBelongsIsNamedWithItsPosition() {
        assertThat(problems("""
                title: [t, u]
                description: {text: hi}
                environments: [prod]
                keys:
                  - name: k
                    from-env: K
                    environments: [prod]
                    rate-limit: [10]
                services:
                  s:
                    commands: {c: {}}
                """)).containsExactly(
                "t.yaml:1:8: title: expected a single value, found a list",
                "t.yaml:2:14: description: expected a single value, found a mapping",
                "t.yaml:8:17: keys[0].rate-limit: expected a single value, found a list");
    }

    @Test
    void aKeyThatIsAListOrAMappingIsRefusedAndANumberIsReadAsItsText() {
        assertThat(problems("""
                title: t
                environments: [prod]
                ? [a, b]
                : x
                services:
                  ? {s: 1}
                  : {commands: {c: {}}}
                  s:
                    commands: {c: {}}
                """)).containsExactly(
                "t.yaml:3:3: a key must be a plain name, not a list",
                "t.yaml:6:5: services: a key must be a plain name, not a mapping");
        // a number, true or null as a key is a plain scalar: it is checked as the name it spells
        assertThat(problems(VALID + "42: x\n")).singleElement().asString()
                .startsWith("t.yaml:11:1: 42: unknown field '42'; allowed here: ");
        assertThat(problems(VALID.replace("  s:\n", "  1.5:\n"))).containsExactly(
                "t.yaml:8:3: services.1.5: service name '1.5' must be 1 to 32 characters of [a-z0-9_-]",
                "t.yaml:8:3: services: a title needs at least one service");
    }

    @Test
    void aFileOfAtMost4MiBCodePointsIsReadAndOneMoreIsRefused() {
        int limit = io.gamewire.titles.yaml.YamlDocument.MAX_CODE_POINTS;
        assertThat(limit).isEqualTo(4 * 1024 * 1024);
        // a comment fills each file up: past the last token, where snakeyaml's own limit does not look.
        // Counted in code points, not bytes: 4 Mi of '€' is 12 MiB of UTF-8, and is read
        String justUnder = padded(VALID, limit, '\u20ac');
        String justOver = padded(VALID, limit + 1, 'x');

        TitleFileParser.Result under = parser.parse(Path.of("t.yaml"), justUnder);
        TitleFileParser.Result over = parser.parse(Path.of("t.yaml"), justOver);

        assertThat(justUnder.codePointCount(0, justUnder.length())).isEqualTo(limit);
        assertThat(under.problems()).isEmpty();
        assertThat(under.definition().title()).isEqualTo("t");
        assertThat(over.definition()).isNull();
        assertThat(over.problems()).extracting(Problem::toString).containsExactly(
                "t.yaml:1:1: the file is 4194305 characters (code points) long; a title file may hold at most 4194304");
    }

    @Test
    void aFileOfMoreBytesThanTheLimitCanTakeIsNotRead(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("t.yaml");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(4L * 4 * 1024 * 1024 + 1); // sparse: no disk or memory is spent on it
        }

        assertThat(parser.parse(huge).problems()).extracting(Problem::toString).containsExactly(huge
                + ":1:1: the file is 16777217 bytes, more than 4194304 characters (code points) can take, the most a"
                + " title file may hold; it was not read");
    }

    /** {@code yaml} and a comment of {@code filler} after it, {@code codePoints} long in all. */
    private static String padded(String yaml, int codePoints, char filler) {
        String head = yaml + "# ";
        return head + String.valueOf(filler).repeat(codePoints - head.length());
    }

    /** A title file that parses: each case below breaks one thing of it. */
    private static final String VALID = """
            title: t
            environments: [prod]
            keys:
              - name: k
                sha256: 62aaadd9f0e74368810b6eb5822faa386416feb2be567846e8861d64a84ecfed
                environments: [prod]
            services:
              s:
                commands:
                  c: {}
            """;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            empty file                   | ''                                                | the file is empty
            not a mapping                | '- a list'                                        | expected a mapping (name: value lines), found
            unknown field                | 'colour: red'                                     | unknown field 'colour'; allowed here:
            title not the file's name    | 'title: u'                                        | title 'u' must match the file name (t.yaml)
            no environment               | 'environments: []'                                | a title needs at least one environment
            environments not a list      | 'environments: prod'                              | expected a list, found
            bad environment name         | 'environments: [Prod]'                            | environments[0]: 'Prod' must be 1 to 32 characters of [a-z0-9_-]
            key name twice               | 'keys: [{name: k, sha256: 62aaadd9f0e74368810b6eb5822faa386416feb2be567846e8861d64a84ecfed, environments: [prod]}, {name: k, from-env: K2, environments: [prod]}]' | key name 'k' is used twice
            key with sha256 and from-env | 'keys: [{name: k, sha256: 62aaadd9f0e74368810b6eb5822faa386416feb2be567846e8861d64a84ecfed, from-env: K, environments: [prod]}]' | a key needs exactly one of 'sha256'
            key sha256 not hex           | 'keys: [{name: k, sha256: abc, environments: [prod]}]' | must be the key's SHA-256 as 64 lower-case hex digits
            key from-env not a variable  | 'keys: [{name: k, from-env: not-a-var, environments: [prod]}]' | must be an environment variable name such as HALO_SERVER_KEY
            key in another environment   | 'keys: [{name: k, from-env: K, environments: [dev]}]' | environment 'dev' is not one of the title's environments [prod]
            bad access                   | 'keys: [{name: k, from-env: K, environments: [prod], access: [write]}]' | 'write' must be publish or query
            rate limit out of range      | 'keys: [{name: k, from-env: K, environments: [prod], rate-limit: 0}]' | '0' must be a whole number from 1 to 1000000
            no service                   | 'services: {}'                                    | a title needs at least one service
            bad service name             | 'services: {S!: {commands: {c: {}}}}'             | service name 'S!' must be 1 to 32 characters of [a-z0-9_-]
            service without commands     | 'services: {s: {commands: {}}}'                   | a service needs at least one command
            prefetch out of range        | 'services: {s: {prefetch: 0, commands: {c: {}}}}' | '0' must be a whole number from 1 to 10000
            max-attempts out of range    | 'services: {s: {max-attempts: 101, commands: {c: {}}}}' | '101' must be a whole number from 1 to 100
            consumers max below min      | 'services: {s: {consumers: {min: 3, max: 2}, commands: {c: {}}}}' | max (2) is below min (3)
            consumers out of range       | 'services: {s: {consumers: {min: 0}, commands: {c: {}}}}' | '0' must be a whole number from 1 to 256
            YAML syntax                  | 'services: [unclosed'                             | YAML syntax
            """)
    void everyValidationOfTheTitleFileNamesWhatIsWrong(String broken, String line, String expected) {
        String yaml = line.isEmpty() ? "" : line.startsWith("- ") ? line : replacing(VALID, line);

        TitleFileParser.Result result = parser.parse(Path.of("t.yaml"), yaml);

        assertThat(result.definition()).as("no definition from a broken file").isNull();
        assertThat(result.problems()).as(broken).isNotEmpty()
                .anySatisfy(problem -> assertThat(problem.toString()).startsWith("t.yaml:").contains(expected));
    }

    /** {@code VALID} with the top-level field of {@code line} replaced by it (or added, for a field it lacks). */
    private static String replacing(String yaml, String line) {
        String field = line.substring(0, line.indexOf(':'));
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        boolean skipping = false;
        for (String existing : yaml.lines().toList()) {
            boolean topLevel = !existing.startsWith(" ");
            if (topLevel) {
                skipping = existing.startsWith(field + ":");
                if (skipping) {
                    out.append(line).append('\n');
                    replaced = true;
                    continue;
                }
            }
            if (!skipping) {
                out.append(existing).append('\n');
            }
        }
        return replaced ? out.toString() : out + line + "\n";
    }

    /** A command with every sink: each case below replaces its text, then breaks one thing of it. */
    private static final String SINKS = """
            title: t
            environments: [prod]
            services:
              s:
                commands:
                  c:
                    schema:
                      required: [id]
                      fields: {id: string, n: integer, note: string}
                    sql:
                      table: t_rows
                      key: [id]
                      columns:
                        id: {type: varchar(16), from: $.id}
                        n: {type: int, from: $.n}
                        note: {type: text, from: $.note}
                    kv:
                      key: "row:{payload.id}"
                      fields: {n: $.n}
                    cache:
                      key: "row:{payload.id}"
                      ttl: 1m
            """;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            required field not declared | 'required: [id]'                        | 'required: [id, gone]'                  | required field 'gone' is not declared under fields
            bad column name             | 'n: {type: int, from: $.n}'             | 'N-1: {type: int, from: $.n}'           | column name 'N-1' must be [a-z][a-z0-9_]{0,63}
            bad column type             | 'n: {type: int, from: $.n}'             | 'n: {type: blob, from: $.n}'            | 'blob' is not a column type
            key not a column            | 'key: [id]'                             | 'key: [nope]'                           | upsert key column 'nope' is not one of the columns
            text column as key          | 'key: [id]'                             | 'key: [note]'                           | upsert key column 'note' is text; key columns must be varchar(n) or numbers
            empty upsert key            | 'key: [id]'                             | 'key: []'                               | the upsert key needs at least one column
            KV sink without fields      | 'fields: {n: $.n}'                      | 'fields: {}'                            | a KV sink keeps at least one field
            from not a JSON path        | 'n: {type: int, from: $.n}'             | 'n: {type: int, from: n}'               | 'n' is not a JSON path such as $.playerId or $.scores[0].value
            field outside the schema    | 'n: {type: int, from: $.n}'             | 'n: {type: int, from: $.other}'         | payload field 'other' ($.other) is not declared in the command's schema
            bad key template            | 'key: "row:{payload.id}"'               | 'key: "row:{payload.id"'                | key template 'row:{payload.id'
            """)
    void everySinkValidationNamesWhatIsWrong(String broken, String valid, String replacement, String expected) {
        assertThat(SINKS).contains(valid);
        String yaml = SINKS.replaceFirst(java.util.regex.Pattern.quote(valid),
                java.util.regex.Matcher.quoteReplacement(replacement));

        TitleFileParser.Result result = parser.parse(Path.of("t.yaml"), yaml);

        assertThat(parser.parse(Path.of("t.yaml"), SINKS).problems()).as("the command as it was").isEmpty();
        assertThat(result.definition()).as(broken).isNull();
        assertThat(result.problems()).as(broken)
                .anySatisfy(problem -> assertThat(problem.toString()).startsWith("t.yaml:").contains(expected));
    }

    @Test
    void anAliasExpansionBombIsRefusedQuicklyNotExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char level = 'b'; level <= 'i'; level++) {
            bomb.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            bomb.append("]\n");
            previous = level;
        }

        TitleFileParser.Result result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> parser.parse(Path.of("t.yaml"), bomb.toString()));

        assertThat(result.definition()).isNull();
        assertThat(result.problems()).isNotEmpty();
    }
}

package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Limits;
import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.Schedule;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code pulls:} section of title files: every field, the defaults, and each refusal with its message. */
class PullsParserTest {

    private final TitleFileParser parser = new TitleFileParser();

    /** A title with one command, t.{prod,staging}.races.result, and the pull 'board' from line 12 on. */
    private static final String TITLE = """
            title: t
            environments: [prod, staging]
            services:
              races:
                commands:
                  result:
                    schema:
                      required: [raceId]
                      fields: {raceId: string}
            pulls:
              board:
            %s
            """;
    private static final String SCHEDULE = "schedule: {every: 5m}";
    private static final String REQUEST = "request: {url: \"https://api.example.com/v1/races\"}";
    private static final String EMIT = "emit: {routing-key: t.prod.races.result, id: $.raceId}";

    private static String pull(String... lines) {
        return TITLE.formatted(String.join("\n", Arrays.stream(lines).map(line -> "    " + line).toList()));
    }

    private List<String> problems(String yaml) {
        return parser.parse(Path.of("t.yaml"), yaml).problems().stream().map(Problem::toString).toList();
    }

    private PullDefinition board(String yaml) {
        TitleFileParser.Result result = parser.parse(Path.of("t.yaml"), yaml);
        assertThat(result.problems()).isEmpty();
        return result.definition().pulls().get("board");
    }

    @Test
    void aFullPullReadsEveryField() {
        PullDefinition pull = board(pull(
                "description: Weekly leaderboard from the publisher",
                "schedule: {cron: \"0 */5 * * * ?\"}",
                "request:",
                "  url: \"{env:KART_API_URL}/v1/leaderboard?region={env:KART_REGION}\"",
                "  headers: {Accept: application/json, X-Client: \"gamewire {env:GW_VERSION}\"}",
                "  auth: {header: X-Api-Key, env: KART_API_KEY}",
                "  timeout: 30s",
                "  conditional: false",
                "paging:",
                "  type: cursor",
                "  param: cursor",
                "  from: $.meta.next",
                "body: {format: json-items, items: $.data.items}",
                "watermark:",
                "  param: since",
                "  from: $.updatedAt",
                "  type: timestamp",
                "  initial: \"2026-01-01T00:00:00Z\"",
                "emit:",
                "  routing-key: t.staging.races.result",
                "  payload: $.result",
                "  id: $.race.id",
                "limits:",
                "  max-pages: 7",
                "  dedupe-size: 1000",
                "  dedupe-ttl: 2d",
                "  max-attempts: 3",
                "  max-backoff: 2m",
                "  breaker-failures: 4",
                "  breaker-open-for: 1h",
                "  max-document-bytes: 1048576"));

        assertThat(pull.name()).isEqualTo("board");
        assertThat(pull.description()).isEqualTo("Weekly leaderboard from the publisher");
        assertThat(pull.schedule()).isEqualTo(new Schedule("0 */5 * * * ?", null));
        assertThat(pull.request().url()).isEqualTo("{env:KART_API_URL}/v1/leaderboard?region={env:KART_REGION}");
        assertThat(pull.request().headers()).containsExactly(Map.entry("Accept", "application/json"),
                Map.entry("X-Client", "gamewire {env:GW_VERSION}"));
        assertThat(pull.request().auth()).isEqualTo(new Auth(AuthKind.HEADER, "X-Api-Key", "KART_API_KEY"));
        assertThat(pull.request().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pull.request().conditional()).isFalse();
        assertThat(pull.paging().kind()).isEqualTo(PagingKind.CURSOR);
        assertThat(pull.paging().param()).isEqualTo("cursor");
        assertThat(pull.paging().from().text()).isEqualTo("$.meta.next");
        assertThat(pull.body().format()).isEqualTo(BodyFormat.JSON_ITEMS);
        assertThat(pull.body().items().steps()).containsExactly("data", "items");
        assertThat(pull.watermark().param()).isEqualTo("since");
        assertThat(pull.watermark().from().text()).isEqualTo("$.updatedAt");
        assertThat(pull.watermark().kind()).isEqualTo(WatermarkKind.TIMESTAMP);
        assertThat(pull.watermark().initial()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(pull.emit().routingKey()).isEqualTo("t.staging.races.result");
        assertThat(pull.emit().payload().text()).isEqualTo("$.result");
        assertThat(pull.emit().id().text()).isEqualTo("$.race.id");
        assertThat(pull.limits()).isEqualTo(new Limits(7, 1000, Duration.ofDays(2), 3, Duration.ofMinutes(2), 4,
                Duration.ofHours(1), 1_048_576));
    }

    @Test
    void aPullWithOnlyTheRequiredFieldsTakesTheDefaults() {
        PullDefinition pull = board(pull(SCHEDULE, REQUEST, EMIT));

        assertThat(pull.description()).isEmpty();
        assertThat(pull.schedule()).isEqualTo(new Schedule(null, Duration.ofMinutes(5)));
        assertThat(pull.request().headers()).isEmpty();
        assertThat(pull.request().auth()).isEqualTo(Auth.NONE);
        assertThat(pull.request().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(pull.request().conditional()).isTrue();
        assertThat(pull.paging()).isEqualTo(Paging.NONE);
        assertThat(pull.body().format()).isEqualTo(BodyFormat.JSON_ARRAY);
        assertThat(pull.body().items()).isNull();
        assertThat(pull.watermark()).isNull();
        assertThat(pull.emit().payload().isRoot()).isTrue();
        assertThat(pull.limits()).isEqualTo(new Limits(50, 100_000, Duration.ofHours(24), 5, Duration.ofSeconds(60), 5,
                Duration.ofMinutes(5), 16 * 1024 * 1024));
    }

    @Test
    void pageOffsetAndLinkPagingAndTheOtherAuthKinds() {
        PullDefinition page = board(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {bearer: API_TOKEN}}",
                "paging: {type: page, param: page, size-param: per_page}", EMIT));
        PullDefinition offset = board(pull(SCHEDULE,
                "request: {url: \"https://a.example/x\", auth: {query: api_key, env: API_KEY}}",
                "paging: {type: offset, param: offset, size-param: limit, size: 500}", "body: {format: ndjson}",
                "watermark: {param: after, from: $.seq, type: id}", EMIT));
        PullDefinition link = board(pull(SCHEDULE, REQUEST, "paging: {type: link}", EMIT));
        // keyset paging: the cursor is read from the last item of a JSON array
        PullDefinition keyset = board(pull(SCHEDULE, REQUEST, "paging: {type: cursor, param: after, from: $.id}", EMIT));
        // without size-param the publisher's page size is unknown: only an empty page is the last
        PullDefinition unsized = board(pull(SCHEDULE, REQUEST, "paging: {type: page, param: p, first: 0}", EMIT));

        assertThat(page.request().auth()).isEqualTo(new Auth(AuthKind.BEARER, null, "API_TOKEN"));
        assertThat(page.paging()).isEqualTo(new Paging(PagingKind.PAGE, "page", null, "per_page", 100, 1));
        assertThat(offset.request().auth()).isEqualTo(new Auth(AuthKind.QUERY, "api_key", "API_KEY"));
        assertThat(offset.paging()).isEqualTo(new Paging(PagingKind.OFFSET, "offset", null, "limit", 500, 0));
        assertThat(offset.body().format()).isEqualTo(BodyFormat.NDJSON);
        assertThat(offset.watermark().kind()).isEqualTo(WatermarkKind.ID);
        assertThat(offset.watermark().initial()).isNull();
        assertThat(link.paging().kind()).isEqualTo(PagingKind.LINK);
        assertThat(keyset.paging()).isEqualTo(new Paging(PagingKind.CURSOR, "after", keyset.paging().from(), null, 0, 0));
        assertThat(keyset.paging().from().text()).isEqualTo("$.id");
        assertThat(keyset.body().format()).isEqualTo(BodyFormat.JSON_ARRAY);
        assertThat(unsized.paging()).isEqualTo(new Paging(PagingKind.PAGE, "p", null, null, 0, 0));
    }

    @Test
    void aTitleWithoutPullsHasNoneAndTheOrderOfTheFileIsKept() {
        assertThat(parser.parse(Path.of("t.yaml"), TITLE.formatted("").replace("pulls:\n  board:\n", ""))
                .definition().pulls()).isEmpty();
        String two = pull(SCHEDULE, REQUEST, EMIT) + "  alpha:\n    " + SCHEDULE + "\n    " + REQUEST + "\n    " + EMIT + "\n";
        assertThat(parser.parse(Path.of("t.yaml"), two).definition().pulls().keySet()).containsExactly("board", "alpha");
    }

    @Test
    void theScheduleIsOneValidCronOrOneInterval() {
        assertThat(problems(pull("schedule: {cron: \"0 */5 * * *\"}", REQUEST, EMIT))).containsExactly(
                "t.yaml:12:22: pulls.board.schedule.cron: '0 */5 * * *' is not a Quartz cron expression (seconds minutes"
                        + " hours day-of-month month day-of-week [year], e.g. \"0 */5 * * * ?\"): Unexpected end of expression.");
        assertThat(problems(pull("schedule: {cron: \"0 */5 * * * ?\", every: 5m}", REQUEST, EMIT))).containsExactly(
                "t.yaml:12:15: pulls.board.schedule: a schedule needs exactly one of 'cron' (a Quartz cron expression"
                        + " such as \"0 */5 * * * ?\") or 'every' (an interval such as 5m)");
        assertThat(problems(pull("schedule: {every: 5x}", REQUEST, EMIT))).containsExactly(
                "t.yaml:12:23: pulls.board.schedule.every: '5x' is not a duration such as 30s, 10m, 2h or 1d");
    }

    @Test
    void authNamesEnvironmentVariablesNeverSecrets() {
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {basic: KART}}", EMIT)))
                .containsExactly("t.yaml:13:50: pulls.board.request.auth.basic: unknown field 'basic'; allowed here:"
                        + " bearer, env, header, query");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {bearer: sk_live_123}}", EMIT)))
                .containsExactly("t.yaml:13:58: pulls.board.request.auth.bearer: must name the environment variable"
                        + " holding the secret ([A-Z][A-Z0-9_]*, such as KART_API_TOKEN), never the secret itself");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {header: X-Api-Key}}", EMIT)))
                .containsExactly("t.yaml:13:49: pulls.board.request.auth: header auth needs 'env': the environment"
                        + " variable holding the secret");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {bearer: A, query: k, env: B}}",
                EMIT))).containsExactly("t.yaml:13:49: pulls.board.request.auth: auth is one of bearer, header or query,"
                + " not bearer and query");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", headers: {Authorization: Bearer abc,"
                + " X-Key: \"{env:k}\", \"Bad Name\": x}}", EMIT))).containsExactly(
                "t.yaml:13:53: pulls.board.request.headers.Authorization: a secret never goes in a title file:"
                        + " authenticate with auth: {bearer: VAR} or {header: NAME, env: VAR}, VAR the environment"
                        + " variable holding the secret",
                "t.yaml:13:87: pulls.board.request.headers.X-Key: '{env:k}' is not a placeholder: {env:NAME}, NAME an"
                        + " environment variable of [A-Z][A-Z0-9_]*",
                "t.yaml:13:98: pulls.board.request.headers.Bad Name: 'Bad Name' is not an HTTP header name");
    }

    @Test
    void theRoutingKeyIsADeclaredCommandOfThisTitle() {
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: halo.prod.stats.match_end, id: $.raceId}")))
                .containsExactly("t.yaml:14:25: pulls.board.emit.routing-key: routing key 'halo.prod.stats.match_end' is"
                        + " of title 'halo'; a pull emits to its own title, 't'");
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.qa.races.result, id: $.raceId}")))
                .containsExactly("t.yaml:14:25: pulls.board.emit.routing-key: environment 'qa' is not one of the"
                        + " title's environments [prod, staging]");
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.laps.result, id: $.raceId}")))
                .containsExactly("t.yaml:14:25: pulls.board.emit.routing-key: title 't' has no service 'laps'"
                        + " (services: races)");
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.races.nope, id: $.raceId}")))
                .containsExactly("t.yaml:14:25: pulls.board.emit.routing-key: service 't.prod.races' has no command"
                        + " 'nope' (commands: result)");
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.races, id: $.raceId}")))
                .containsExactly("t.yaml:14:25: pulls.board.emit.routing-key: routing key 't.prod.races' has 3 part(s);"
                        + " expected 4: title.env.service.command");
    }

    @Test
    void aRateReadsEveryFieldAndDefaultsToOneInFlight() {
        assertThat(board(pull(SCHEDULE, REQUEST, EMIT)).rate()).isEqualTo(PullDefinition.Rate.DEFAULT);
        assertThat(board(pull(SCHEDULE, REQUEST, EMIT,
                "rate: {concurrent: 2, requests: 100, per: 2m, after-429: 60s, share: credential}")).rate())
                .isEqualTo(new PullDefinition.Rate(2, 100, Duration.ofMinutes(2), Duration.ofMinutes(1),
                        PullDefinition.RateShare.CREDENTIAL));
    }

    @Test
    void aRateNeedsRequestsAndPerTogetherAndKnownShares() {
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "rate: {requests: 100, share: instance}"))).containsExactly(
                "t.yaml:15:11: pulls.board.rate: 'requests' and 'per' go together: at most 'requests' requests per"
                        + " 'per' (such as requests: 100, per: 2m)",
                "t.yaml:15:34: pulls.board.rate.share: 'instance' must be host or credential");
    }

    @Test
    void keysetPagingMayShareTheWatermarksParameter() {
        PullDefinition pull = board(pull(SCHEDULE, REQUEST, EMIT, "body: {format: ndjson}",
                "paging: {type: keyset, param: since, from: $.createdAt, add: 1, size-param: max, size: 300}",
                "watermark: {param: since, from: $.createdAt, type: id}"));

        assertThat(pull.paging()).isEqualTo(new PullDefinition.Paging(PagingKind.KEYSET, "since",
                pull.paging().from(), "max", 300, 0, 1));
        assertThat(pull.paging().from().text()).isEqualTo("$.createdAt");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "paging: {type: keyset, param: since}")))
                .containsExactly("t.yaml:15:5: pulls.board.paging: keyset paging needs 'from': the JSON path of the"
                                + " key in each item, such as $.createdAt, whose value in the page's last item (plus"
                                + " 'add') asks for the next page",
                        "t.yaml:15:5: pulls.board.paging: keyset paging needs 'size': the page size, so that a"
                                + " shorter page ends the run");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "paging: {type: page, param: since}",
                "watermark: {param: since, from: $.createdAt, type: id}"))).as("other paging may not share it")
                .hasSize(1);
    }

    @Test
    void aWindowReadsEveryFieldAndNeedsItsParametersAndEarliest() {
        PullDefinition pull = board(pull(SCHEDULE, REQUEST, EMIT, "window: {start-param: startTime,"
                + " end-param: endTime, format: epoch-millis, overlap: 10m, max: 7d, earliest: \"2026-01-01T00:00:00Z\"}"));

        assertThat(pull.window()).isEqualTo(new PullDefinition.Window("startTime", "endTime",
                PullDefinition.WindowFormat.EPOCH_MILLIS, Duration.ofMinutes(10), Duration.ofDays(7),
                java.time.Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(board(pull(SCHEDULE, REQUEST, EMIT, "window: {start-param: a, end-param: b, earliest: 1767225600}"))
                .window()).isEqualTo(new PullDefinition.Window("a", "b", PullDefinition.WindowFormat.EPOCH_SECONDS,
                        Duration.ZERO, null, java.time.Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "window: {start-param: a, earliest: yesterday}")))
                .containsExactly("t.yaml:15:5: pulls.board.window: missing required field 'end-param'",
                        "t.yaml:15:40: pulls.board.window.earliest: 'yesterday' is not a time: ISO-8601 with a zone,"
                                + " such as 2026-01-01T00:00:00Z, or epoch seconds or milliseconds");
    }

    @Test
    void aFollowNeedsTheItemInItsUrl() {
        assertThat(board(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.races.result, id: $}",
                "follow: {url: \"{env:RIOT_API}/lol/match/v5/matches/{$}\", merge: true, concurrency: 4}")).follow())
                .isEqualTo(new PullDefinition.Follow("{env:RIOT_API}/lol/match/v5/matches/{$}", true, 4));
        assertThat(board(pull(SCHEDULE, REQUEST, EMIT, "follow: {url: \"https://api.example.com/r/{$.race.id}\"}"))
                .follow()).isEqualTo(new PullDefinition.Follow("https://api.example.com/r/{$.race.id}", false, 2));
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "follow: {url: \"https://api.example.com/r\"}")))
                .containsExactly("t.yaml:15:19: pulls.board.follow.url: 'https://api.example.com/r' has no item in it:"
                        + " put {$} (the item itself) or {$.id} (a field of it) where the detail's URL takes it");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "follow: {url: \"https://api.example.com/r/{id}\"}")))
                .containsExactly("t.yaml:15:19: pulls.board.follow.url: '{id}' in the follow URL is not a"
                        + " placeholder: {$} (the item), {$.id} (a field of it) and {env:NAME} are");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "follow: {url: \"https://{$.host}/r/{$}\"}")))
                .containsExactly("t.yaml:15:19: pulls.board.follow.url: 'https://{$.host}/r/{$}' puts an item before"
                        + " the path: the scheme and host come from the title file (or an {env:NAME}), never from the"
                        + " publisher's data");
    }

    @Test
    void aMatchHistoryShapedPullIsValid() {
        // as in docs/titles.md, "Pull follow" (another routing key): ids in a time window, paged by offset,
        // then one match per id
        PullDefinition pull = board(pull(SCHEDULE,
                "request: {url: \"{env:RIOT_API}/lol/match/v5/matches/by-puuid/{env:PUUID}/ids\","
                        + " auth: {header: X-Riot-Token, env: RIOT_TOKEN}}",
                "paging: {type: offset, param: start, size-param: count, size: 100}",
                "window: {start-param: startTime, end-param: endTime, overlap: 1h, earliest: \"2026-01-01T00:00:00Z\"}",
                "follow: {url: \"{env:RIOT_API}/lol/match/v5/matches/{$}\", concurrency: 2}",
                "emit: {routing-key: t.prod.races.result, id: $}",
                "rate: {requests: 100, per: 2m, after-429: 10s}"));

        assertThat(pull.follow().url()).isEqualTo("{env:RIOT_API}/lol/match/v5/matches/{$}");
        assertThat(pull.window().overlap()).isEqualTo(Duration.ofHours(1));
        assertThat(pull.rate().requests()).isEqualTo(100);
    }

    @Test
    void anIndexReadsItsFieldsAndRefusesPagingWatermarkAndWindow() {
        PullDefinition.Index plain = board(pull(SCHEDULE, REQUEST, EMIT, "index: {items: $.archives}")).index();
        assertThat(plain.items().text()).isEqualTo("$.archives");
        assertThat(plain.url()).isNull();
        assertThat(plain.newestFirst()).isFalse();
        assertThat(board(pull(SCHEDULE, REQUEST, EMIT,
                "index: {items: $.months, url: \"https://api.example.com/m/{$}\", newest-first: true}")).index().url())
                .isEqualTo("https://api.example.com/m/{$}");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "index: {items: $.archives}",
                "paging: {type: page, param: p}"))).containsExactly("t.yaml:16:5: pulls.board.paging: 'paging' has no"
                + " meaning with 'index': each page of the index is read whole, with its own ETag / Last-Modified, and"
                + " closed once a later page exists");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "index: {items: $.a, url: \"https://x.example/m\"}")))
                .containsExactly("t.yaml:15:30: pulls.board.index.url: 'https://x.example/m' has no {$}: the place of"
                        + " the index entry (an id) in the page's URL");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "index: {items: $.a, url: \"https://{$}/m\"}")))
                .containsExactly("t.yaml:15:30: pulls.board.index.url: 'https://{$}/m' puts the entry before the path:"
                        + " the scheme and host come from the title file (or an {env:NAME}), never from the publisher's"
                        + " data");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "follow: {url: \"{env:API}{$}\"}"))).as("glued to the host")
                .hasSize(1);
    }

    @Test
    void theItemItselfMayBeItsId() {
        // a match-history API lists bare id strings: ["EU1_1", "EU1_2"]
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.races.result, id: $}"))).isEmpty();
        assertThat(problems(pull(SCHEDULE, REQUEST, "emit: {routing-key: t.prod.races.result, id: raceId}")))
                .containsExactly("t.yaml:14:50: pulls.board.emit.id: 'raceId' is not a JSON path of the item's id:"
                        + " $ for the item itself (an API that lists bare ids), or such as $.id");
    }

    @Test
    void pagingAndBodyFieldsMustFitTheirKind() {
        assertThat(problems(pull(SCHEDULE, REQUEST, "paging: {type: cursor, param: c}",
                "body: {format: json-items, items: $.items}", EMIT))).containsExactly(
                "t.yaml:14:5: pulls.board.paging: cursor paging needs 'from': the JSON path of the next cursor in the"
                        + " response body (absent, null or empty on the last page)");
        assertThat(problems(pull(SCHEDULE, REQUEST, "paging: {type: cursor, param: c, from: $.next, size: 3}", EMIT)))
                .containsExactly("t.yaml:14:52: pulls.board.paging.size: 'size' has no meaning with cursor paging,"
                        + " which takes param, from");
        assertThat(problems(pull(SCHEDULE, REQUEST, "paging: {type: link, param: next}", EMIT))).containsExactly(
                "t.yaml:14:26: pulls.board.paging.param: 'param' has no meaning with link paging, which takes no other"
                        + " field");
        assertThat(problems(pull(SCHEDULE, REQUEST, "paging: {type: page, from: $.next}", EMIT))).containsExactly(
                "t.yaml:14:5: pulls.board.paging: page paging needs 'param': the query parameter the page number is"
                        + " sent as",
                "t.yaml:14:26: pulls.board.paging.from: 'from' has no meaning with page paging, which takes param,"
                        + " size-param, size, first");
        assertThat(problems(pull(SCHEDULE, REQUEST, "body: {format: json-items}", EMIT))).containsExactly(
                "t.yaml:14:5: pulls.board.body: body format json-items needs 'items': the JSON path of the array of"
                        + " items in the body, such as $.items");
        assertThat(problems(pull(SCHEDULE, REQUEST, "body: {format: ndjson, items: $.x}", EMIT))).containsExactly(
                "t.yaml:14:28: pulls.board.body.items: 'items' has no meaning with body format ndjson (each line is an"
                        + " item)");
    }

    @Test
    void theUrlIsHttpWithOnlyEnvPlaceholdersInBraces() {
        assertThat(problems(pull(SCHEDULE, "request: {url: \"{env:kart_url}/v1\"}", EMIT))).containsExactly(
                "t.yaml:13:20: pulls.board.request.url: '{env:kart_url}/v1' has '{env:kart_url}', which is not a"
                        + " placeholder: only {env:NAME}, NAME an environment variable of [A-Z][A-Z0-9_]*, is allowed"
                        + " in braces");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/{id}\"}", EMIT))).singleElement()
                .asString().contains("has '{id}', which is not a placeholder");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"{env:A/v1\"}", EMIT))).containsExactly(
                "t.yaml:13:20: pulls.board.request.url: '{env:A/v1' has an unmatched '{' or '}'; only {env:NAME}"
                        + " placeholders are allowed in braces");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"ftp://a.example/x\"}", EMIT))).containsExactly(
                "t.yaml:13:20: pulls.board.request.url: 'ftp://a.example/x' is not an http(s) URL: it must start with"
                        + " https://, http:// or an {env:NAME} placeholder holding the start of one");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https:///x\"}", EMIT))).containsExactly(
                "t.yaml:13:20: pulls.board.request.url: 'https:///x' has no host");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/{env:A_B}/x?k={env:KEY}\"}", EMIT)))
                .isEmpty();
    }

    @Test
    void unknownFieldsRepeatedKeysBadNamesAndBadDurationsAreRefused() {
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "retries: 3"))).containsExactly(
                "t.yaml:15:5: pulls.board.retries: unknown field 'retries'; allowed here: body, description, emit,"
                        + " follow, index, limits, paging, rate, request, schedule, watermark, window");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "schedule: {every: 1m}"))).containsExactly(
                "t.yaml:15:5: pulls.board.schedule: 'schedule' appears twice");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT).replace("  board:", "  Board_1:"))).containsExactly(
                "t.yaml:11:3: pulls.Board_1: pull name 'Board_1' must be [a-z][a-z0-9-]{0,63}: a lower-case letter,"
                        + " then lower-case letters, digits and '-'");
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", timeout: 1h}", EMIT,
                "limits: {dedupe-ttl: 10y, max-pages: 0}"))).containsExactly(
                "t.yaml:13:52: pulls.board.request.timeout: '1h' must be from 1s to 10m",
                "t.yaml:15:26: pulls.board.limits.dedupe-ttl: '10y' is not a duration such as 30s, 10m, 2h or 1d",
                "t.yaml:15:42: pulls.board.limits.max-pages: '0' must be a whole number from 1 to 100000");
        assertThat(problems(pull(SCHEDULE, REQUEST, EMIT, "limits: {max-document-bytes: 16MiB}"))).containsExactly(
                "t.yaml:15:34: pulls.board.limits.max-document-bytes: '16MiB' must be a whole number from 1024 to"
                        + " 1073741824");
    }

    @Test
    void eachQueryParameterIsSentOnceAndATimestampWatermarkStartsAtATimestamp() {
        assertThat(problems(pull(SCHEDULE, "request: {url: \"https://a.example/x\", auth: {query: since, env: K}}",
                "paging: {type: page, param: since}", "watermark: {param: since, from: $.t, type: timestamp,"
                        + " initial: yesterday}", EMIT))).containsExactly(
                "t.yaml:14:33: pulls.board.paging.param: query parameter 'since' is already sent as request.auth.query;"
                        + " each parameter the pull sends needs its own name",
                "t.yaml:15:24: pulls.board.watermark.param: query parameter 'since' is already sent as"
                        + " request.auth.query; each parameter the pull sends needs its own name",
                "t.yaml:15:68: pulls.board.watermark.initial: 'yesterday' is not a timestamp: ISO-8601 with a zone,"
                        + " such as 2026-01-01T00:00:00Z, or epoch seconds or milliseconds");
    }

    @Test
    void aScheduleDescribesItselfAsWritten() {
        assertThat(new Schedule("0 */5 * * * ?", null).describe()).isEqualTo("cron 0 */5 * * * ?");
        assertThat(new Schedule(null, Duration.ofMinutes(5)).describe()).isEqualTo("every 5m");
        assertThat(new Schedule(null, Duration.ofSeconds(90)).describe()).isEqualTo("every 90s");
        assertThat(new Schedule(null, Duration.ofHours(48)).describe()).isEqualTo("every 2d");
    }
}

package io.gamewire.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.sinks.cache.CacheException;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query chain cache → KV → SQL on the embedded stores (Caffeine, MVStore, H2 in MySQL mode):
 * which source answers, what fills the cache, and the status of each kind of failure.
 */
class QueryResponderTest {

    private static final String TITLE = TitleFixtures.read("halo-queries");

    @TempDir
    Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private HikariDataSource dataSource;
    private MvStoreKvStore kv;
    private final CaffeineEventCache cache = new CaffeineEventCache(1000);
    private TitleRegistry registry;
    private QueryResponder responder;

    @BeforeEach
    void open() throws Exception {
        dataSource = PooledDataSources.create("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE",
                "sa", "", 2, 2000);
        kv = new MvStoreKvStore(dir.resolve("kv.mv.db"));
        Path titles = Files.createDirectories(dir.resolve("titles"));
        Files.writeString(titles.resolve("halo.yaml"), TITLE);
        TitleTables tables = new TitleTables(dataSource);
        registry = new TitleRegistry(titles, new TitleRegistry.Applier() {
            @Override
            public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
                tables.apply(next);
            }

            @Override
            public void remove(TitleDefinition previous) {
            }
        });
        assertThat(registry.reload().added()).containsExactly("halo");
        responder = new QueryResponder(json, registry, cache, kv, new RowReader(dataSource));
        sql("INSERT INTO q_matches (match_id, map, duration_s, accuracy, ranked, mode, gw_message_id, gw_event_time)"
                + " VALUES ('m-1', 'Blood Gulch', 600, 0.5, TRUE, NULL, '0190b6c2-7f3e-7abc-8def-0123456789ab', 1)");
    }

    @AfterEach
    void close() throws Exception {
        kv.close();
        dataSource.close();
        cache.close();
        camel.close();
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement jdbc = connection.createStatement()) {
            jdbc.execute(statement);
        }
    }

    private record Reply(int status, String body, Exchange exchange) {
    }

    private Reply ask(String command, String payload) {
        return askKey("halo.prod.players." + command, payload);
    }

    private Reply askKey(String routingKey, String payload) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(GwpHeaders.FRAME_TYPE, FrameType.REQUEST.name());
        exchange.getMessage().setHeader(GwpHeaders.MESSAGE_ID, "0190b6c2-7f3e-7abc-8def-0123456789ff");
        exchange.getMessage().setHeader(GwpHeaders.ROUTING_KEY, routingKey);
        exchange.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
        responder.process(exchange);
        @SuppressWarnings("unchecked")
        Map<String, String> attributes = exchange.getMessage().getHeader(GwpHeaders.ATTRIBUTES, Map.class);
        return new Reply(Integer.parseInt(attributes.get(ReservedAttributes.STATUS)),
                new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8), exchange);
    }

    private String cached(String key) {
        return cache.get(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void aCacheHitAnswersWithoutTouchingKvOrSql() throws Exception {
        cache.put("view:m-1", "{\"from\":\"cache\"}".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
        kv.close();
        dataSource.close();

        Reply reply = ask("view", "{\"matchId\":\"m-1\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"from\":\"cache\"}");
    }

    @Test
    void aKvHitAnswersItsFieldsAsStringsAndFillsTheCache() {
        kv.merge("match:m-1", Map.of("map", "Sandtrap", "kills", "7"));

        Reply reply = ask("view", "{\"matchId\":\"m-1\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"kills\":\"7\",\"map\":\"Sandtrap\"}");
        assertThat(cached("view:m-1")).isEqualTo(reply.body());
    }

    @Test
    void anSqlHitWhenKvHasNoRecordAnswersTypedJsonWithoutNullsAndFillsTheCache() {
        Reply reply = ask("view", "{\"matchId\":\"m-1\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(
                "{\"match_id\":\"m-1\",\"map\":\"Blood Gulch\",\"duration_s\":600,\"accuracy\":0.5,\"ranked\":true}");
        assertThat(cached("view:m-1")).isEqualTo(reply.body());
    }

    @Test
    void theCachedAnswerIsServedUntilItExpiresEvenWhenTheRowChanged() throws Exception {
        assertThat(ask("view", "{\"matchId\":\"m-1\"}").body()).contains("Blood Gulch");
        sql("UPDATE q_matches SET map = 'Sandtrap' WHERE match_id = 'm-1'");

        assertThat(ask("view", "{\"matchId\":\"m-1\"}").body()).contains("Blood Gulch");
        assertThat(ask("match", "{\"matchId\":\"m-1\"}").body()).contains("Sandtrap");
    }

    @Test
    void aNumericKeyIsLookedUpAsANumberAndAValueOfTheWrongKindIs400() throws Exception {
        sql("INSERT INTO q_seasons (season, winner, gw_message_id, gw_event_time)"
                + " VALUES (3, 'ada', '0190b6c2-7f3e-7abc-8def-0123456789ab', 1)");

        assertThat(ask("season", "{\"season\":3}").body()).isEqualTo("{\"season\":3,\"winner\":\"ada\"}");
        Reply wrong = ask("season", "{\"season\":\"three\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(json.readTree(wrong.body()).get("error").asText())
                .isEqualTo("key column season of q_seasons, from $.season: column type int cannot take \"three\"");
    }

    @Test
    void nothingFoundIs404NamingWhatWasLookedUpAndCachesNothing() throws Exception {
        Reply reply = ask("view", "{\"matchId\":\"m-9\"}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(json.readTree(reply.body()).get("error").asText())
                .isEqualTo("no record match:m-9, no row in q_matches where match_id = 'm-9'");
        assertThat(cached("view:m-9")).isNull();
    }

    @Test
    void aCommandNoTitleDefinesIs404NamingTheTitleFile() throws Exception {
        Reply reply = ask("nosuch", "{}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(json.readTree(reply.body()).get("error").asText())
                .contains("routing key halo.prod.players.nosuch").contains("halo.yaml").contains("no command 'nosuch'");
    }

    @Test
    void aServiceNotInForceIs503NotANotFound() throws Exception {
        Reply reply = askKey("halo.prod.gone.get", "{}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(json.readTree(reply.body()).get("error").asText()).contains("service halo.prod.gone is not in force");
    }

    @Test
    void aFailingKvStoreOrDatabaseIs503() throws Exception {
        kv.close();
        Reply kvDown = ask("view", "{\"matchId\":\"m-1\"}");
        assertThat(kvDown.status()).isEqualTo(503);
        assertThat(json.readTree(kvDown.body()).get("error").asText()).startsWith("the query failed: ");

        sql("DROP TABLE q_matches");
        assertThat(ask("match", "{\"matchId\":\"m-1\"}").status()).isEqualTo(503);
    }

    @Test
    void aFailingCacheCountsAsAMiss() {
        EventCache broken = new CaffeineEventCache(10) {
            @Override
            public Optional<byte[]> get(String key) {
                throw new CacheException("memcached is down", null);
            }

            @Override
            public void put(String key, byte[] value, Duration ttl) {
                throw new CacheException("memcached is down", null);
            }
        };
        responder = new QueryResponder(json, registry, broken, kv, new RowReader(dataSource));

        Reply reply = ask("view", "{\"matchId\":\"m-1\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Blood Gulch");
    }

    @Test
    void aRequestLackingAKeyFieldOrForANonQueryIs400AndTheReplyAnswersTheRequest() throws Exception {
        Reply missing = ask("match", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(json.readTree(missing.body()).get("error").asText())
                .isEqualTo("key column match_id of q_matches needs payload field $.matchId, which is missing");

        Reply notAQuery = ask("nothing", "{}");
        assertThat(notAQuery.status()).isEqualTo(400);
        assertThat(notAQuery.body()).contains("is not a query");
        assertThat(notAQuery.exchange().getMessage().getHeader(GwpHeaders.FRAME_TYPE)).isEqualTo(FrameType.REPLY.name());
        assertThat(notAQuery.exchange().getMessage().getHeader(GwpHeaders.CORRELATION_ID))
                .isEqualTo("0190b6c2-7f3e-7abc-8def-0123456789ff");
        assertThat(notAQuery.exchange().getMessage().getHeader(GwpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    }
}

package io.gamewire.admin.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.EventView;
import io.gamewire.sinks.SinkBatchWriter;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.testsupport.TestRegistries;
import io.gamewire.testsupport.Stack;
import io.gamewire.testsupport.StackTest;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventInspector} on every supported database (one run per {@link Stack}): an event is found
 * by its {@code events} row, and an event of a command with {@code event-row: false} by its cached
 * view while that lasts.
 */
class EventInspectorTest {

    /** Title w: stats.end keeps an events row; stats.seen does not ({@code event-row: false}). */
    private static final String TITLE = """
            title: w
            environments: [prod]
            services:
              stats:
                commands:
                  end:
                    sql:
                      table: w_matches
                      key: [match_id]
                      columns:
                        match_id: {type: varchar(16), from: $.id}
                        map: {type: varchar(16), from: $.map}
                  seen:
                    event-row: false
                    sql:
                      table: w_seen
                      key: [match_id]
                      columns:
                        match_id: {type: varchar(16), from: $.id}
                        map: {type: varchar(16), from: $.map}
                    kv:
                      key: "seen:{payload.id}"
                      fields: {map: $.map}
            """;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private MvStoreKvStore kv;
    private CaffeineEventCache cache;
    private SinkBatchWriter writer;
    private EventInspector inspector;

    @BeforeEach
    void open(HikariDataSource dataSource) throws Exception {
        SchemaMigrator.migrate(dataSource);
        Path titles = Files.createDirectories(dir.resolve("titles"));
        Files.writeString(titles.resolve("w.yaml"), TITLE);
        TitleRegistry registry = TestRegistries.applyingTables(titles, dataSource);
        assertThat(registry.reload().added()).containsExactly("w");
        kv = new MvStoreKvStore(dir.resolve("kv.mv"));
        cache = new CaffeineEventCache(1000);
        SqlEventStore events = new SqlEventStore(dataSource);
        TitleSinks sinks = new TitleSinks(json, registry, kv, cache);
        writer = new SinkBatchWriter(dataSource, events, sinks, cache, Duration.ofMinutes(1), json);
        inspector = new EventInspector(json, events, sinks, dataSource, kv, cache, new PayloadRedaction(registry),
                registry);
    }

    @AfterEach
    void close() {
        kv.close();
    }

    private StoredEvent stored(String command, String id) {
        StoredEvent event = new StoredEvent(MessageIds.next(), RoutingKey.parse("w.prod.stats." + command),
                "application/json", ("{\"id\":\"" + id + "\",\"map\":\"Blood Gulch\"}").getBytes(StandardCharsets.UTF_8),
                1_000, 2_000, Map.of("gw-source", "http", "region", "eu"));
        assertThat(writer.write(List.of(event))).containsOnlyNulls();
        return event;
    }

    @StackTest
    void anEventWithAnEventsRowIsShownFromItWithEveryAttribute() throws Exception {
        StoredEvent event = stored("end", "m1");

        ObjectNode view = inspector.view(event.messageId()).orElseThrow();

        assertThat(view.path("from").asText()).isEqualTo("events");
        assertThat(view.path("storedAt").isTextual()).isTrue();
        assertThat(view.path("attributes").path("region").asText()).isEqualTo("eu");
        assertThat(view.path("sql").path("writtenByThisEvent").asBoolean()).isTrue();
    }

    @StackTest
    void anEventWithoutAnEventsRowIsFoundByItsCachedViewWithWhatItLeftInItsSinks() throws Exception {
        StoredEvent event = stored("seen", "s1");

        ObjectNode view = inspector.view(event.messageId()).orElseThrow();

        assertThat(view.path("from").asText()).isEqualTo("cachedView");
        assertThat(view.path("storedAt").isNull()).as("the view does not keep it").isTrue();
        assertThat(view.path("routingKey").asText()).isEqualTo("w.prod.stats.seen");
        assertThat(view.path("payload").path("map").asText()).isEqualTo("Blood Gulch");
        assertThat(view.path("attributes").path("gw-source").asText()).isEqualTo("http");
        assertThat(view.path("attributes").has("region")).as("the view keeps only gw-source").isFalse();
        assertThat(view.path("sql").path("table").asText()).isEqualTo("w_seen");
        assertThat(view.path("sql").path("writtenByThisEvent").asBoolean()).isTrue();
        assertThat(view.path("kv").path("fields").path("map").asText()).isEqualTo("Blood Gulch");
        // what replay sends: the event's content as the view holds it
        StoredEvent found = inspector.event(event.messageId()).orElseThrow();
        assertThat(found.routingKey()).isEqualTo(event.routingKey());
        assertThat(json.readTree(found.payload())).isEqualTo(json.readTree(event.payload()));
        assertThat(found.eventTimeMs()).isEqualTo(1_000);
    }

    @StackTest
    void aViewThatIsNotOneCountsAsNone() throws Exception {
        StoredEvent event = stored("seen", "s3");
        cache.put(EventView.cacheKey(event.messageId()), "{\"broken\": true}".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(1));

        assertThat(inspector.view(event.messageId())).isEmpty();
        assertThat(inspector.event(event.messageId())).isEmpty();
    }

    @StackTest
    void anEventWithoutAnEventsRowWhoseViewHasExpiredIsNotFound() throws Exception {
        StoredEvent event = stored("seen", "s2");
        cache.invalidate(EventView.cacheKey(event.messageId()));

        assertThat(inspector.view(event.messageId())).isEmpty();
        assertThat(inspector.event(event.messageId())).isEmpty();
    }
}

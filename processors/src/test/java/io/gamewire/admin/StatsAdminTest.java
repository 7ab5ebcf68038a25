package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EventSource;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.monitor.RoutingKeyLabels;
import io.gamewire.monitor.TrafficStats;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The stats call's parameters and answer, and both calls with the monitor off. */
class StatsAdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TrafficStats stats = new TrafficStats(new RoutingKeyLabels(() -> Set.of("halo.prod.stats.end"), 10),
            System::currentTimeMillis);

    private static Exchange request(Map<String, String> parameters) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        parameters.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

    @Test
    void answersTheFiguresOfTheMatchingKeysWithTheSeriesAskedFor() throws Exception {
        stats.event("halo.prod.stats.end", EventSource.PULL, 40);
        Exchange exchange = request(Map.of("pattern", "halo.*.stats.#", "window", "30s", "series", "true"));

        new StatsAdmin(JSON, stats, null).stats().process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(body.get("windowSeconds").asInt()).isEqualTo(30);
        assertThat(body.at("/routingKeys/0/routingKey").asText()).isEqualTo("halo.prod.stats.end");
        assertThat(body.at("/routingKeys/0/events/bySource/pull").asLong()).isEqualTo(1);
        assertThat(body.at("/routingKeys/0/events/perSecond").asDouble()).isEqualTo(0.033);
        assertThat(body.at("/routingKeys/0/series")).hasSize(30);
        assertThat(body.at("/totals/bytes/total").asLong()).isEqualTo(40);
        assertThat(body.at("/totals/delayMillis/p50").isNull()).isTrue();
    }

    @Test
    void aBadParameterIsA400NamingIt() {
        assertThatThrownBy(() -> new StatsAdmin(JSON, stats, null).stats().process(request(Map.of("series", "yes"))))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("parameter 'series' must be true or false, was 'yes'");
        assertThatThrownBy(() -> new StatsAdmin(JSON, stats, null).stats().process(request(Map.of("window", "2h"))))
                .hasMessageStartingWith("parameter 'window': '2h' is not a window");
    }

    @Test
    void withTheMonitorOffBothCallsAnswer503SayingWhy() {
        assertThatThrownBy(() -> StatsAdmin.monitorOff().process(request(Map.of())))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("gamewire.ops.monitor.enabled=false");
    }
}

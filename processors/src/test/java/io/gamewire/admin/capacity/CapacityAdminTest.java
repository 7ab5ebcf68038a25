package io.gamewire.admin.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.capacity.plan.CapacityPlans;
import io.gamewire.ingest.http.RequestRefusedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The capacity calls over an in-memory archive and planner, and without them. */
class CapacityAdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "halo.prod.stats";

    private final UsageSeries series = CapacityFakes.periodic(SERVICE, 4, 11);
    private final Instant now = Instant.ofEpochSecond(series.time(series.size() - 1));
    private final CapacityFakes.Archive archive = new CapacityFakes.Archive().with(series);
    private final CapacityFakes.Plans plans = new CapacityFakes.Plans()
            .with(CapacityFakes.decision(SERVICE, now.minusSeconds(60), 2, 2))
            .with(CapacityFakes.decision(SERVICE, now, 2, 4))
            .with(CapacityFakes.decision("halo.prod.chat", now, 1, 1));

    private CapacityAdmin admin(UsageArchive usage, CapacityPlans planner) {
        return new CapacityAdmin(JSON, () -> Optional.ofNullable(usage), () -> Optional.ofNullable(planner),
                CapacityAdmin::defaultParameters, Clock.fixed(now.plusSeconds(30), ZoneOffset.UTC));
    }

    private static Exchange request(String service, Map<String, String> parameters) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Map<String, String> headers = new HashMap<>(parameters);
        if (service != null) {
            headers.put(CapacityAdmin.SERVICE_HEADER, service);
        }
        headers.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

    private static JsonNode answer(Processor step, Exchange exchange) throws Exception {
        step.process(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        return JSON.readTree(exchange.getMessage().getBody(String.class));
    }

    @Test
    void listsEveryPlannedServicesLatestDecision() throws Exception {
        JsonNode body = answer(admin(archive, plans).list(), request(null, Map.of()));

        assertThat(body.at("/services")).hasSize(2);
        assertThat(body.at("/services/0/service").asText()).isEqualTo("halo.prod.chat");
        assertThat(body.at("/services/1/planned").asInt()).isEqualTo(4);
        assertThat(body.at("/services/1/current").asInt()).isEqualTo(2);
        assertThat(body.at("/services/1/mode").asText()).isEqualTo("RECOMMEND");
        assertThat(body.at("/services/1/reason").asText()).contains("4 needed");
    }

    @Test
    void reportsNowThePeakAheadAndTheDecisions() throws Exception {
        JsonNode body = answer(admin(archive, plans).service(), request(SERVICE, Map.of("hours", "24")));

        assertThat(body.get("now").asText()).isEqualTo(now.toString());
        assertThat(body.get("currentRate").asDouble()).isPositive();
        assertThat(body.get("currentConsumers").asDouble()).isEqualTo(2.0);
        assertThat(body.at("/parameters/seasonLength").asInt()).isEqualTo(1440);
        assertThat(Instant.parse(body.at("/peak/at").asText())).isBetween(now.plusSeconds(19 * 3600),
                now.plusSeconds(21 * 3600));
        assertThat(body.get("forecast")).hasSize(24);
        assertThat(body.get("planner").asText()).isEqualTo("on");
        assertThat(body.at("/decision/planned").asInt()).isEqualTo(4);
        assertThat(body.get("history")).hasSize(2);

        JsonNode latestOnly = answer(admin(archive, plans).service(), request(SERVICE, Map.of("history", "1")));
        assertThat(latestOnly.get("history")).hasSize(1);
        assertThat(latestOnly.at("/history/0/planned").asInt()).isEqualTo(4);
    }

    @Test
    void withoutThePlannerTheReportHasNoDecisionAndTheListIsA503() throws Exception {
        JsonNode body = answer(admin(archive, null).service(), request(SERVICE, Map.of()));

        assertThat(body.get("planner").asText()).isEqualTo("off");
        assertThat(body.get("decision").isNull()).isTrue();
        assertThatThrownBy(() -> admin(archive, null).list().process(request(null, Map.of())))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("capacity planner is off").hasMessageContaining("capacityPlanner");
    }

    @Test
    void withoutTheArchiveTheServiceCallsAre503NamingIt() {
        for (Processor step : new Processor[] {admin(null, plans).service(), admin(null, plans).fit()}) {
            assertThatThrownBy(() -> step.process(request(SERVICE, Map.of())))
                    .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(503))
                    .hasMessageContaining("usage archive is off").hasMessageContaining("usageArchive");
        }
    }

    @Test
    void anUnknownServiceIsA404NamingIt() {
        for (String name : new String[] {"halo.prod.nope", "halo.prod.nope.png"}) {
            assertThatThrownBy(() -> admin(archive, plans).service().process(request(name, Map.of())))
                    .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessage("the usage archive has no series 'halo.prod.nope'");
        }
    }

    @Test
    void drawsThePictureForANameEndingPng() throws Exception {
        Exchange exchange = request(SERVICE + ".png", Map.of("hours", "12", "width", "640", "height", "240"));

        admin(archive, plans).service().process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("image/png");
        byte[] png = exchange.getMessage().getBody(byte[].class);
        assertThat(Arrays.copyOf(png, 4)).containsExactly((byte) 0x89, 'P', 'N', 'G');
    }

    @Test
    void aParameterOutOfItsLimitsIsA400NamingItAndTheLimits() {
        Map<String, String> expected = Map.of(
                "hours", "parameter 'hours' must be a whole number from 1 to 336, was '337'",
                "width", "parameter 'width' must be a whole number from 200 to 2000, was 'wide'",
                "height", "parameter 'height' must be a whole number from 120 to 1200, was '0'");
        Map<String, String> given = Map.of("hours", "337", "width", "wide", "height", "0");
        expected.forEach((parameter, message) -> assertThatThrownBy(() -> admin(archive, plans).service()
                .process(request(SERVICE + ".png", Map.of(parameter, given.get(parameter)))))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message));
    }

    @Test
    void fitsTheSmoothingOnTheArchiveAndGivesTheYamlLines() throws Exception {
        JsonNode body = answer(admin(archive, plans).fit(), request(SERVICE, Map.of()));

        assertThat(body.at("/fitted/alpha").asDouble()).isBetween(0.0, 1.0);
        assertThat(body.get("sumOfSquaresAfter").asDouble()).isLessThanOrEqualTo(body.get("sumOfSquaresBefore")
                .asDouble());
        assertThat(body.at("/yaml/0").asText()).isEqualTo("capacity:");
        assertThat(body.at("/yaml/1").asText()).startsWith("  alpha: ");
        assertThat(body.get("knownPoints").asInt()).isEqualTo(series.size());
    }

    @Test
    void aFitOnTooShortAnArchiveIsRefusedSayingHowMuchItNeeds() {
        UsageSeries day = CapacityFakes.periodic(SERVICE, 2, 12);
        CapacityAdmin shortArchive = new CapacityAdmin(JSON, () -> Optional.of(new CapacityFakes.Archive().with(day)),
                Optional::empty, CapacityAdmin::defaultParameters,
                Clock.fixed(Instant.ofEpochSecond(day.time(day.size() - 1)), ZoneOffset.UTC));

        assertThatThrownBy(() -> shortArchive.fit().process(request(SERVICE, Map.of())))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("needs at least 3 seasons (4320)");
    }
}

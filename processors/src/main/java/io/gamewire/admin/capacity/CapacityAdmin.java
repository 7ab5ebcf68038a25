package io.gamewire.admin.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.admin.AdminRequests;
import io.gamewire.admin.QueryParameters;
import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.SmoothingFit;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.capacity.plan.CapacityPlans;
import io.gamewire.capacity.plan.ScalingDecision;
import io.gamewire.ingest.http.RequestRefusedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The steps of the admin API's capacity calls, each after {@code AdminAuthorization}:
 * <ul>
 *   <li>{@link #list()}, {@code GET /v1/admin/capacity}: every planned service's latest decision;</li>
 *   <li>{@link #service()}, {@code GET /v1/admin/capacity/{service}?hours=24&history=50}: the
 *       {@link CapacityReport} as JSON, the forecast {@code hours} ahead (1 … {@value #MAX_HOURS}) with the
 *       planner's latest {@code history} decisions (1 … {@value #MAX_HISTORY}); and,
 *       for a name ending {@code .png}, {@code ?hours=24&width=800&height=300}: its picture
 *       ({@link CapacityGraph}) of the last {@code hours} and a quarter of that ahead;</li>
 *   <li>{@link #fit()}, {@code POST /v1/admin/capacity/{service}/fit}: α, β, γ fitted on the archive
 *       ({@link SmoothingFit#fitSkippingAberrations}) and the lines for the title's {@code capacity:} block.</li>
 * </ul>
 * The archive ({@code usageArchive}) and the planner ({@code capacityPlanner}) are looked up on every call, so
 * the calls answer 503 naming what is missing while either is not bound, and work as soon as it is.
 * A service the archive has no series for is a 404 naming it.
 */
public final class CapacityAdmin {

    /** The path parameter naming the service. */
    public static final String SERVICE_HEADER = "service";
    /** The decisions the report includes by default, and at most ({@code ?history=}). */
    public static final int DEFAULT_HISTORY = 50;
    public static final int MAX_HISTORY = 1000;
    /** The archive's days the forecast runs over (its 1 min archive). */
    public static final Duration ARCHIVE_SPAN = Duration.ofDays(14);
    public static final int MAX_HOURS = 336;
    public static final int DEFAULT_HOURS = 24;
    public static final int MIN_WIDTH = 200;
    public static final int MAX_WIDTH = 2000;
    public static final int DEFAULT_WIDTH = 800;
    public static final int MIN_HEIGHT = 120;
    public static final int MAX_HEIGHT = 1200;
    public static final int DEFAULT_HEIGHT = 300;
    private static final String PNG = ".png";

    private final ObjectMapper json;
    private final Supplier<Optional<UsageArchive>> archive;
    private final Supplier<Optional<CapacityPlans>> plans;
    private final Function<String, HoltWintersParameters> parameters;
    private final Clock clock;

    /**
     * @param archive    the usage archive, when one is bound
     * @param plans      the planner's decisions, when the planner runs
     * @param parameters a service's forecast parameters (at the 1 min step of the archive)
     */
    public CapacityAdmin(ObjectMapper json, Supplier<Optional<UsageArchive>> archive,
            Supplier<Optional<CapacityPlans>> plans, Function<String, HoltWintersParameters> parameters, Clock clock) {
        this.json = json;
        this.archive = archive;
        this.plans = plans;
        this.parameters = parameters;
        this.clock = clock;
    }

    /** The forecast parameters of a service without any of its own: a daily season of 1 min steps. */
    public static HoltWintersParameters defaultParameters(String service) {
        return HoltWintersParameters.daily(Duration.ofSeconds(UsageArchive.Resolution.ONE_MINUTE.seconds()));
    }

    public Processor list() {
        return exchange -> {
            CapacityPlans planner = planner();
            ArrayNode services = json.createArrayNode();
            new TreeMap<>(planner.latest()).values().forEach(decision -> services.add(decision(decision)));
            ObjectNode body = json.createObjectNode();
            body.set("services", services);
            AdminRequests.answer(exchange, 200, body);
        };
    }

    public Processor service() {
        return exchange -> {
            String name = exchange.getMessage().getHeader(SERVICE_HEADER, String.class);
            if (name != null && name.endsWith(PNG) && name.length() > PNG.length()) {
                picture(exchange, name.substring(0, name.length() - PNG.length()));
            } else {
                report(exchange, name);
            }
        };
    }

    public Processor fit() {
        return exchange -> {
            String service = exchange.getMessage().getHeader(SERVICE_HEADER, String.class);
            UsageSeries series = fetch(service);
            HoltWintersParameters start = parameters.apply(service);
            int known = 0;
            for (double rate : series.rates()) {
                known += Double.isNaN(rate) ? 0 : 1;
            }
            // three seasons of a daily season; a weekly one fits on the two the 14 days fetched hold
            int seasons = Math.max(2, Math.min(3, (int) ARCHIVE_SPAN.toMinutes() / start.seasonLength()));
            if (known < seasons * start.seasonLength()) {
                throw new RequestRefusedException(409, "the archive has " + known + " known 1 min rates of "
                        + service + "; a fit needs at least " + seasons + " seasons (" + seasons * start.seasonLength()
                        + ")");
            }
            SmoothingFit.FittedSmoothing fitted = SmoothingFit.fitSkippingAberrations(start, series.rates());
            HoltWintersParameters p = fitted.parameters();
            ObjectNode body = json.createObjectNode().put("service", service)
                    .put("from", Instant.ofEpochSecond(series.startEpochSecond()).toString())
                    .put("to", Instant.ofEpochSecond(series.time(series.size() - 1)).toString())
                    .put("knownPoints", known);
            body.set("start", parametersNode(start));
            body.set("fitted", parametersNode(p));
            body.put("sumOfSquaresBefore", fitted.startSumOfSquares()).put("sumOfSquaresAfter", fitted.sumOfSquares())
                    .put("evaluations", fitted.evaluations());
            ArrayNode yaml = body.putArray("yaml");
            for (String line : yamlLines(p)) {
                yaml.add(line);
            }
            AdminRequests.answer(exchange, 200, body);
        };
    }

    /** The lines of the title's {@code capacity:} block that set the fitted smoothing. */
    public static List<String> yamlLines(HoltWintersParameters p) {
        return List.of("capacity:",
                String.format(Locale.ROOT, "  alpha: %.6g", p.alpha()),
                String.format(Locale.ROOT, "  beta: %.6g", p.beta()),
                String.format(Locale.ROOT, "  gamma: %.6g", p.gamma()));
    }

    private void report(Exchange exchange, String service) {
        int hours = intParameter(exchange.getMessage(), "hours", DEFAULT_HOURS, 1, MAX_HOURS);
        int decisions = intParameter(exchange.getMessage(), "history", DEFAULT_HISTORY, 1, MAX_HISTORY);
        CapacityReport report = compute(service, hours * 60, decisions);
        ObjectNode body = json.createObjectNode().put("service", service).put("now", report.now().toString())
                .put("stepSeconds", report.series().stepSeconds());
        number(body, "currentRate", report.currentRate());
        number(body, "currentConsumers", report.currentConsumers());
        body.set("parameters", parametersNode(report.parameters()));
        if (report.nowPoint() != null) {
            ObjectNode now = body.putObject("nowForecast");
            number(now, "prediction", report.nowPoint().prediction());
            number(now, "lower", report.nowPoint().lower());
            number(now, "upper", report.nowPoint().upper());
            now.put("aberration", report.nowPoint().aberration());
        }
        if (report.peak() == null) {
            body.putNull("peak");
        } else {
            ObjectNode peak = body.putObject("peak").put("at", report.peak().at().toString());
            number(peak, "prediction", report.peak().prediction());
            number(peak, "upper", report.peak().upper());
        }
        body.put("forecastHours", hours);
        ArrayNode forecast = body.putArray("forecast");
        for (CapacityReport.Forecast hour : hourly(report)) {
            ObjectNode node = forecast.addObject().put("at", hour.at().toString());
            number(node, "prediction", hour.prediction());
            number(node, "lower", hour.lower());
            number(node, "upper", hour.upper());
        }
        ArrayNode aberrations = body.putArray("aberrations");
        for (CapacityReport.Aberration aberration : report.aberrations()) {
            aberrations.addObject().put("start", Instant.ofEpochSecond(aberration.startEpochSecond()).toString())
                    .put("end", Instant.ofEpochSecond(aberration.endEpochSecond()).toString());
        }
        body.put("planner", plans.get().isPresent() ? "on" : "off");
        if (report.latest().isPresent()) {
            body.set("decision", decision(report.latest().get()));
        } else {
            body.putNull("decision");
        }
        ArrayNode history = body.putArray("history");
        report.history().forEach(decision -> history.add(decision(decision)));
        AdminRequests.answer(exchange, 200, body);
    }

    /** The forecast by hour: each hour's mean prediction and its widest band. */
    static List<CapacityReport.Forecast> hourly(CapacityReport report) {
        List<CapacityReport.Forecast> hours = new ArrayList<>();
        int perHour = (int) Math.max(1, 3600 / report.series().stepSeconds());
        List<CapacityReport.Forecast> ahead = report.ahead();
        for (int from = 0; from < ahead.size(); from += perHour) {
            List<CapacityReport.Forecast> hour = ahead.subList(from, Math.min(ahead.size(), from + perHour));
            double sum = 0;
            double lower = Double.POSITIVE_INFINITY;
            double upper = Double.NEGATIVE_INFINITY;
            for (CapacityReport.Forecast step : hour) {
                sum += step.prediction();
                lower = Math.min(lower, step.lower());
                upper = Math.max(upper, step.upper());
            }
            hours.add(new CapacityReport.Forecast(hour.get(0).epochSecond(), sum / hour.size(),
                    Double.isInfinite(lower) ? Double.NaN : lower, Double.isInfinite(upper) ? Double.NaN : upper));
        }
        return hours;
    }

    private void picture(Exchange exchange, String service) {
        Message in = exchange.getMessage();
        int hours = intParameter(in, "hours", DEFAULT_HOURS, 1, MAX_HOURS);
        int width = intParameter(in, "width", DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH);
        int height = intParameter(in, "height", DEFAULT_HEIGHT, MIN_HEIGHT, MAX_HEIGHT);
        long aheadSeconds = aheadSeconds(hours);
        CapacityReport report = compute(service, (int) (aheadSeconds / 60), 1);
        long now = report.now().getEpochSecond();
        byte[] png = CapacityGraph.png(report, now - hours * 3600L, now + aheadSeconds, width, height);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setHeader(Exchange.CONTENT_TYPE, "image/png");
        in.setHeader("Cache-Control", "no-store");
        in.setBody(png);
    }

    /** The picture looks a quarter of its past ahead, at least an hour. */
    static long aheadSeconds(int hours) {
        return Math.max(3600L, hours * 3600L / 4);
    }

    private CapacityReport compute(String service, int stepsAhead, int decisions) {
        UsageSeries series = fetch(service);
        List<ScalingDecision> history = plans.get().map(p -> p.history(service, decisions)).orElse(List.of());
        return CapacityReport.compute(service, series, parameters.apply(service), Math.max(1, stepsAhead), history);
    }

    private UsageSeries fetch(String service) {
        UsageArchive usage = archive.get().orElseThrow(() -> new RequestRefusedException(503, "the usage archive"
                + " is off on this instance (no bean 'usageArchive'), so it has no rates to forecast"));
        if (service == null || service.isEmpty()) {
            throw new RequestRefusedException(400, "name a service: /v1/admin/capacity/{title.env.service}");
        }
        long now = clock.instant().getEpochSecond();
        try {
            if (!usage.series().contains(service)) {
                throw new RequestRefusedException(404, "the usage archive has no series '" + service + "'");
            }
            return usage.fetch(service, UsageArchive.Resolution.ONE_MINUTE, UsageArchive.Consolidation.AVERAGE,
                    now - ARCHIVE_SPAN.toSeconds(), now);
        } catch (NoSuchElementException e) {
            throw new RequestRefusedException(404, "the usage archive has no series '" + service + "'");
        } catch (IOException e) {
            throw new RequestRefusedException(503, "the usage archive could not be read: " + e.getMessage());
        }
    }

    private CapacityPlans planner() {
        return plans.get().orElseThrow(() -> new RequestRefusedException(503, "the capacity planner is off on this"
                + " instance (no bean 'capacityPlanner'), so there are no decisions"));
    }

    private ObjectNode decision(ScalingDecision decision) {
        ObjectNode node = json.createObjectNode().put("service", decision.service())
                .put("at", decision.at().toString()).put("mode", decision.mode().name())
                .put("current", decision.current()).put("planned", decision.planned())
                .put("applied", decision.applied());
        number(node, "forecastUpper", decision.forecastUpper());
        node.put("forecastAt", decision.forecastAt() == null ? null : decision.forecastAt().toString());
        number(node, "consumerRate", decision.consumerRate());
        return node.put("reason", decision.reason());
    }

    private ObjectNode parametersNode(HoltWintersParameters p) {
        return json.createObjectNode().put("alpha", p.alpha()).put("beta", p.beta()).put("gamma", p.gamma())
                .put("deviationGamma", p.deviationGamma()).put("delta", p.delta()).put("threshold", p.threshold())
                .put("window", p.window()).put("seasonLength", p.seasonLength());
    }

    /** A number rounded to three decimals, or null for NaN (JSON has no NaN). */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * 1000) / 1000.0);
        }
    }

    /** A whole-number query parameter within limits ({@link QueryParameters#wholeNumber}). */
    private static int intParameter(Message in, String name, int fallback, int min, int max) {
        return (int) QueryParameters.wholeNumber(in, name, fallback, min, max);
    }
}

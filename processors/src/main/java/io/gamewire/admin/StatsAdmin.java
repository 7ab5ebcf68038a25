package io.gamewire.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.monitor.QueueFigures;
import io.gamewire.monitor.QueueWatch;
import io.gamewire.monitor.StatsWindow;
import io.gamewire.monitor.TrafficStats;
import io.gamewire.routing.TopicPattern;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The steps of the admin API's operations figures, each after {@link AdminAuthorization}:
 * <ul>
 *   <li>{@link #stats()}, {@code GET /v1/admin/stats?pattern=halo.prod.#&window=1m&series=true}:
 *       per routing key matching the pattern (default {@code #}) over the window (default
 *       {@code 1m}, {@link StatsWindow}): events by source, bytes, dead letters, refusals by code,
 *       delays received→stored with percentiles, and with {@code series=true} events per second
 *       for each step of the window; then the totals. Dead letters are bus-wide; events and bytes
 *       as {@code gamewire.ops.monitor.scope} says; refusals and delays are this instance's
 *       ({@link TrafficStats});</li>
 *   <li>{@link #queues()}, {@code GET /v1/admin/queues}: each declared service queue's ready
 *       messages, unacknowledged (management API only, else null), consumers and dead letters, as
 *       the last poll of the {@link QueueWatch} found them.</li>
 * </ul>
 * With {@code gamewire.ops.monitor.enabled=false} both answer 503 ({@link #monitorOff()}).
 */
public final class StatsAdmin {

    private final ObjectMapper json;
    private final TrafficStats stats;
    private final QueueWatch queues;

    public StatsAdmin(ObjectMapper json, TrafficStats stats, QueueWatch queues) {
        this.json = json;
        this.stats = stats;
        this.queues = queues;
    }

    /** The step of both calls on an instance whose bus monitor is off. */
    public static Processor monitorOff() {
        return exchange -> {
            throw new RequestRefusedException(503, "the bus monitor is off on this instance"
                    + " (gamewire.ops.monitor.enabled=false), so it has no stats and no queue figures;"
                    + " ask an instance that runs it");
        };
    }

    public Processor stats() {
        return exchange -> {
            Message in = exchange.getMessage();
            TopicPattern pattern = QueryParameters.pattern(in, "pattern", TopicPattern.all());
            StatsWindow window = window(QueryParameters.text(in, "window"));
            boolean series = QueryParameters.bool(in, "series");
            AdminRequests.answer(exchange, 200, report(stats.report(pattern, window, series), series));
        };
    }

    public Processor queues() {
        return exchange -> {
            QueueWatch.Snapshot last = queues.last();
            if (last == null) {
                throw new RequestRefusedException(503, "the queue watch has not polled the broker yet;"
                        + " try again in a moment", Map.of("Retry-After", "1"));
            }
            ArrayNode list = json.createArrayNode();
            for (String service : last.services()) {
                QueueFigures queue = last.figures().get(service);
                if (queue == null) {
                    continue; // declared by a title but not (or no longer) on the broker
                }
                QueueFigures dead = last.figures().get(service + ".dlq");
                ObjectNode node = list.addObject().put("queue", service).put("messages", queue.messages());
                if (queue.unacked() == null) {
                    node.putNull("unacked");
                } else {
                    node.put("unacked", queue.unacked());
                }
                node.put("consumers", queue.consumers()).put("deadLetters", dead == null ? 0
                        : dead.messages() + (dead.unacked() == null ? 0 : dead.unacked()));
            }
            ObjectNode body = json.createObjectNode().put("source", last.source())
                    .put("polledAt", Instant.ofEpochMilli(last.polledAtMs()).toString());
            if (last.error() != null) {
                body.put("error", last.error());
            }
            body.set("queues", list);
            AdminRequests.answer(exchange, 200, body);
        };
    }

    private ObjectNode report(TrafficStats.Report report, boolean series) {
        int seconds = report.window().seconds();
        ObjectNode body = json.createObjectNode().put("pattern", report.pattern().toString())
                .put("windowSeconds", seconds);
        if (series) {
            body.put("seriesStepSeconds", report.window().stepSeconds());
        }
        ArrayNode keys = body.putArray("routingKeys");
        for (TrafficStats.KeyFigures key : report.routingKeys()) {
            ObjectNode node = keys.addObject().put("routingKey", key.routingKey());
            figures(node, key.figures(), report.window());
        }
        figures(body.putObject("totals"), report.totals(), report.window());
        return body;
    }

    private void figures(ObjectNode node, TrafficStats.Figures figures, StatsWindow window) {
        int seconds = window.seconds();
        ObjectNode events = node.putObject("events").put("total", figures.events())
                .put("perSecond", rate(figures.events(), seconds));
        ObjectNode bySource = events.putObject("bySource");
        figures.bySource().forEach(bySource::put);
        node.putObject("bytes").put("total", figures.bytes()).put("perSecond", rate(figures.bytes(), seconds));
        node.putObject("deadLetters").put("total", figures.deadLetters())
                .put("perSecond", rate(figures.deadLetters(), seconds));
        ObjectNode refusals = node.putObject("refusals").put("total", figures.refusals());
        ObjectNode byCode = refusals.putObject("byCode");
        figures.refusalsByCode().forEach(byCode::put);
        TrafficStats.Delays delays = figures.delays();
        ObjectNode delay = node.putObject("delayMillis").put("count", delays.count());
        putMillis(delay, "p50", delays.p50());
        putMillis(delay, "p95", delays.p95());
        putMillis(delay, "p99", delays.p99());
        putMillis(delay, "max", delays.max() == null ? null : delays.max().doubleValue());
        if (figures.series() != null) {
            ArrayNode series = node.putArray("series");
            for (long count : figures.series()) {
                // per second: a one-second step is its count, a one-minute step its count over 60
                if (window.stepSeconds() == 1) {
                    series.add(count);
                } else {
                    series.add(rate(count, window.stepSeconds()));
                }
            }
        }
    }

    private static double rate(long count, int seconds) {
        return Math.round(count * 1000.0 / seconds) / 1000.0;
    }

    private static void putMillis(ObjectNode node, String field, Double millis) {
        if (millis == null) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(millis * 10) / 10.0);
        }
    }

    private static StatsWindow window(String text) {
        if (text == null) {
            return StatsWindow.parse("1m");
        }
        try {
            return StatsWindow.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, "parameter 'window': " + e.getMessage());
        }
    }
}

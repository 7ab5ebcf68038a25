package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.util.URISupport;

/**
 * {@code GET /v1/admin/routes}: every Camel route with its state, where it starts, how long it has
 * been up, and its exchange counts and mean processing time. The counts are the meters Camel's
 * micrometer route policy keeps ({@code camel.metrics.enable-route-policy}, the ones on
 * {@code /observe/metrics}), tagged {@code routeId}: they are always there, while Camel's managed
 * route beans exist only when JMX is on (it comes with the CLI connector). A route without meters
 * (policy off) shows nulls. Where a route
 * starts is shown as Camel sanitizes URIs for its logs ({@link #shownUri}): a user route's
 * {@code password=}, {@code token=} or {@code user:password@} never reaches the console.
 */
public final class RouteTable {

    static final String TOTAL = "camel.exchanges.total";
    static final String FAILED = "camel.exchanges.failed";
    static final String INFLIGHT = "camel.exchanges.inflight";
    static final String PROCESSING = "camel.route.policy";
    private static final String ROUTE_ID = "routeId";

    private final ObjectMapper json;
    private final CamelContext camel;
    private final MeterRegistry meters;

    public RouteTable(ObjectMapper json, CamelContext camel, MeterRegistry meters) {
        this.json = json;
        this.camel = camel;
        this.meters = meters;
    }

    public ObjectNode describe() {
        ObjectNode answer = json.createObjectNode();
        ArrayNode routes = answer.putArray("routes");
        camel.getRoutes().stream().sorted(Comparator.comparing(Route::getRouteId)).forEach(route -> {
            String id = route.getRouteId();
            ServiceStatus status = camel.getRouteController().getRouteStatus(id);
            ObjectNode node = routes.addObject().put("id", id)
                    .put("state", status == null ? "Unknown" : status.name())
                    .put("from", route.getEndpoint() == null ? null : shownUri(route.getEndpoint().getEndpointUri()))
                    .put("uptimeMillis", route.getUptimeMillis());
            Double total = count(TOTAL, id);
            node.put("exchangesTotal", total == null ? null : total.longValue());
            Double failed = count(FAILED, id);
            node.put("exchangesFailed", failed == null ? null : failed.longValue());
            Double inflight = gauge(id);
            node.put("exchangesInflight", inflight == null ? null : inflight.longValue());
            node.put("meanProcessingMillis", meanMillis(id));
        });
        answer.put("count", routes.size());
        return answer;
    }

    /** An endpoint URI with its secrets masked: the password of its user info, and options such as password, token, secret or apiKey. */
    static String shownUri(String uri) {
        return URISupport.sanitizeUri(uri);
    }

    private Double count(String name, String routeId) {
        var found = meters.find(name).tag(ROUTE_ID, routeId).counters();
        return found.isEmpty() ? null : found.stream().mapToDouble(Counter::count).sum();
    }

    private Double gauge(String routeId) {
        var found = meters.find(INFLIGHT).tag(ROUTE_ID, routeId).gauges();
        return found.isEmpty() ? null : found.stream().mapToDouble(Gauge::value).sum();
    }

    /** Over every timer of the route (succeeded and failed are tagged apart): total time over count. */
    private Double meanMillis(String routeId) {
        var found = meters.find(PROCESSING).tag(ROUTE_ID, routeId).timers();
        long count = found.stream().mapToLong(Timer::count).sum();
        if (count == 0) {
            return found.isEmpty() ? null : 0.0;
        }
        return found.stream().mapToDouble(timer -> timer.totalTime(TimeUnit.MILLISECONDS)).sum() / count;
    }
}

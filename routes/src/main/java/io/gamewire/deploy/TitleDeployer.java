package io.gamewire.deploy;

import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.ConsumedEventQueues;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.TitleTables;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a title real in the running application, in an order that never loses a message: its
 * tables first (a refused table change stops here, nothing else changed), then its durable queues
 * and dead-letter queues; then, once the registry has put the title in force, one consumer route
 * per {@code title.env.service} from the route template {@code service-consumer} (or the one the
 * service names in {@code consumers.template}), and its pulls.
 * A consumer never runs ahead of the definition it stores by.
 *
 * <p>A route whose settings did not change is left running. A changed or removed one is stopped
 * gracefully — Camel lets its in-flight exchanges finish, and the listener container hands the
 * messages it had prefetched back to the broker unacknowledged — and, if changed, started again
 * with the new settings. Queues are never deleted: a removed title's queued events stay there.
 */
public final class TitleDeployer implements TitleRegistry.Applier {

    private static final Logger LOG = LoggerFactory.getLogger(TitleDeployer.class);

    private final CamelContext camel;
    private final TitleTables tables;
    private final BusTopology topology;
    private final boolean consume;
    private final PullDeployer pulls;
    /** Per title, why its consumers did not start at the last {@link #keepRunning}; empty when they did. */
    private final Map<String, String> failing = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param consume false for an ingest-only instance ({@code gamewire.consumers.enabled=false}):
     *                tables and queues are made, consumer routes are not; other instances consume
     */
    public TitleDeployer(CamelContext camel, TitleTables tables, BusTopology topology, boolean consume) {
        this(camel, tables, topology, consume, null);
    }

    /**
     * @param pulls schedules the titles' pulls last, once their commands' queues exist; null when
     *              this instance schedules none ({@code gamewire.pulls.enabled=false})
     */
    public TitleDeployer(CamelContext camel, TitleTables tables, BusTopology topology, boolean consume,
                         PullDeployer pulls) {
        this.camel = camel;
        this.tables = tables;
        this.topology = topology;
        this.consume = consume;
        this.pulls = pulls;
    }

    /**
     * The id of a service's consumer route: {@code store-<title>.<env>.<service>}, the queue's name
     * as it is, since names may hold dashes and {@code store-a-b-c} could be two services.
     */
    public static String routeId(String serviceKey) {
        return "store-" + serviceKey;
    }

    /**
     * Tables and queues of {@code next}; consumer routes whose settings changed or that are gone
     * stop now. Nothing new starts before the title is in force ({@link #inForce}).
     */
    @Override
    public void apply(TitleDefinition previous, TitleDefinition next) throws Exception {
        List<String> ddl = tables.apply(next);
        ddl.forEach(statement -> LOG.info("Title {}: {}", next.title(), statement));
        topology.declare(next.serviceKeys());
        Map<String, Consumer> wanted = consume ? routes(next) : Map.of();
        Map<String, Consumer> running = previous == null || !consume ? Map.of() : routes(previous);
        for (Map.Entry<String, Consumer> route : running.entrySet()) {
            if (!route.getValue().equals(wanted.get(route.getKey()))) {
                stop(route.getKey());
            }
        }
    }

    /**
     * Starts the consumer routes {@code next} wants and that do not run, then schedules its pulls:
     * only now, because a consumer that took a message before its command was in force would
     * store it without the command's sinks. Each route and the pulls are tried on their own, so one
     * that fails to start leaves the others running; the failures are thrown together after.
     */
    @Override
    public void inForce(TitleDefinition previous, TitleDefinition next) throws Exception {
        if (stopping()) {
            return;
        }
        List<String> failures = new ArrayList<>(startMissingConsumers(next));
        if (pulls != null) {
            try {
                pulls.apply(previous, next);
            } catch (Exception e) {
                failures.add("pulls: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
    }

    /**
     * Starts any consumer route of {@code title} that does not exist, such as one whose start
     * failed at an earlier reload: a service in force never stays without its consumer. Routes
     * stopped by hand (they still exist) are left alone.
     */
    @Override
    public void keepRunning(TitleDefinition title) {
        if (stopping()) {
            return;
        }
        String failures = String.join("; ", startMissingConsumers(title));
        // logged when it changes, not at every reload
        String before = failing.put(title.title(), failures);
        if (!failures.isEmpty() && !failures.equals(before)) {
            LOG.error("Title {}: consumers still not started, tried again at every reload: {}", title.title(), failures);
        }
    }

    /** A reload while Camel stops its routes must not start routes again (consumers or pulls). */
    private boolean stopping() {
        return camel.getStatus().isStopping() || camel.getStatus().isStopped();
    }

    /** Starts the title's consumer routes that do not exist; returns what failed, per route. */
    private List<String> startMissingConsumers(TitleDefinition title) {
        List<String> failures = new ArrayList<>();
        if (!consume) {
            return failures;
        }
        for (Map.Entry<String, Consumer> route : routes(title).entrySet()) {
            if (camel.getRoute(route.getKey()) == null) {
                try {
                    start(route.getKey(), route.getValue());
                } catch (Exception e) {
                    failures.add("consumer route " + route.getKey() + ": " + e.getMessage());
                }
            }
        }
        return failures;
    }

    @Override
    public void remove(TitleDefinition previous) throws Exception {
        if (pulls != null) {
            pulls.remove(previous);
        }
        for (String routeId : routes(previous).keySet()) {
            stop(routeId);
        }
    }

    /**
     * A consumer route: the route template it is made from (gamewire's {@code service-consumer}, or
     * the one the service names in {@code consumers.template}) and its parameters.
     */
    private record Consumer(String template, Map<String, Object> parameters) {
    }

    /** Route id → consumer, for every service queue of the title. */
    private static Map<String, Consumer> routes(TitleDefinition title) {
        Map<String, Consumer> routes = new LinkedHashMap<>();
        for (String env : title.environments()) {
            for (ServiceDefinition service : title.services().values()) {
                String queue = title.title() + "." + env + "." + service.name();
                routes.put(routeId(queue), new Consumer(service.consumerTemplate(), Map.of(
                        "queue", queue,
                        "minConsumers", service.minConsumers(),
                        "maxConsumers", service.maxConsumers(),
                        "prefetch", service.prefetch(),
                        "retries", service.maxAttempts() - 1)));
            }
        }
        return routes;
    }

    private void start(String routeId, Consumer consumer) throws Exception {
        if (camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(consumer.template())
                == null) {
            throw new IllegalStateException("no route template '" + consumer.template() + "' (consumers.template of the"
                    + " service): define it in a route file of gamewire.dsl-yaml.dir, see docs/user-routes.md");
        }
        // node ids are unique across routes: each step of this route is named <route id>.<step>
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, consumer.template()).routeId(routeId)
                .prefixId(routeId + ".");
        consumer.parameters().forEach(builder::parameter);
        ConsumedEventQueues fastPath = camel.getRegistry().lookupByNameAndType(ConsumedEventQueues.BEAN,
                ConsumedEventQueues.class);
        if (fastPath != null) { // its EVENTs stored without an exchange only when the route is gamewire's own
            fastPath.byOwnTemplate((String) consumer.parameters().get("queue"),
                    ServiceDefinition.DEFAULT_CONSUMER_TEMPLATE.equals(consumer.template()));
        }
        builder.add();
        // routes added to a running context are started by it; start explicitly if it did not
        if (!camel.getRouteController().getRouteStatus(routeId).isStarted()) {
            camel.getRouteController().startRoute(routeId);
        }
        LOG.info("Consumer route {} started from the route template {}: {}", routeId, consumer.template(),
                consumer.parameters());
    }

    private void stop(String routeId) throws Exception {
        if (camel.getRoute(routeId) == null) {
            return;
        }
        camel.getRouteController().stopRoute(routeId);
        camel.removeRoute(routeId);
        LOG.info("Consumer route {} stopped and removed", routeId);
    }
}

package io.gamewire.stack;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.plan.CapacityPlanner;
import io.gamewire.capacity.plan.QueueBacklog;
import io.gamewire.capacity.scale.ConsumerScaling;
import io.gamewire.capacity.scale.KeptListenerContainers;
import io.gamewire.config.Settings;
import io.gamewire.monitor.QueueWatch;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.sinks.ConsumedEventQueues;
import io.gamewire.sinks.SinkBatcher;
import io.gamewire.titles.TitleRegistry;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.spi.Registry;

/**
 * Pre-scaling of consumers (docs/CAPACITY.md): the {@code spring-rabbitmq} component makes its
 * listener containers through {@link KeptListenerContainers}, so {@code consumerScaling} can change a
 * running service's consumer count; {@code capacityPlanner} decides the counts (every
 * {@code gamewire.capacity.plan-interval}, route {@code capacity-plan}, step {@code capacityPlan}),
 * from the usage archive ({@code usageArchive}, when bound: without it there is no forecast and the
 * planner keeps the counts), the events the sinks store ({@code sinkBatcher.onStored}) and the queue
 * watch's latest backlog (when the monitor is on). Comes after {@link OpsConfiguration}.
 */
public class CapacityPlanConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = settings(camel);
        Registry registry = camel.getRegistry();
        KeptListenerContainers containers = new KeptListenerContainers();
        containers.decorateListeners(bean(camel, ConsumedEventQueues.BEAN, ConsumedEventQueues.class)::listenerFor);
        camel.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setListenerContainerFactory(containers);
        ConsumerScaling scaling = new ConsumerScaling(containers);
        registry.bind("consumerScaling", scaling);

        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        // the archive engineer's bean; optional until it is merged, and when turned off
        UsageArchive archive = registry.lookupByNameAndType("usageArchive", UsageArchive.class);
        QueueWatch watch = registry.lookupByNameAndType("queueWatch", QueueWatch.class);
        CapacityPlanner planner = new CapacityPlanner(bean(camel, "capacityClock", Clock.class), titles::titles, archive, scaling,
                watch == null ? QueueBacklog.UNKNOWN : watched(watch),
                MetricsRegistry.of(camel), settings.integer("gamewire.capacity.history"));
        bean(camel, "sinkBatcher", SinkBatcher.class).onStored(
                (event, storedAtMs) -> planner.stored(event.routingKey().serviceKey()));
        registry.bind("capacityPlanner", planner);
        registry.bind("capacityPlan", (Processor) exchange -> planner.plan());
    }

    /** The backlog and the consumers of a queue as the queue watch last polled them. */
    private static QueueBacklog watched(QueueWatch watch) {
        return new QueueBacklog() {
            @Override
            public OptionalLong ready(String queue) {
                return watch.latest(queue).map(figures -> OptionalLong.of(figures.messages())).orElse(OptionalLong.empty());
            }

            @Override
            public OptionalInt consumers(String queue) {
                return watch.latest(queue).map(figures -> OptionalInt.of(Math.toIntExact(figures.consumers())))
                        .orElse(OptionalInt.empty());
            }
        };
    }
}

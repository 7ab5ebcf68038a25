package io.gamewire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EnvelopePublisher;
import io.gamewire.camel.NamedThreads;
import io.gamewire.ops.metrics.MetricsRegistry;
import io.gamewire.protocol.camel.GwpDataFormat;
import io.gamewire.query.QueryResponder;
import io.gamewire.query.RowReader;
import io.gamewire.sinks.ConsumedEventQueues;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.EventStoreProcessor;
import io.gamewire.sinks.SinkBatchWriter;
import io.gamewire.sinks.SinkBatcher;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.titles.TitleRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;

/**
 * The steps of the consumer routes (the template {@code service-consumer}): {@code eventStoreProcessor}
 * hands an event to {@code sinkBatcher}, which writes batches of them in every sink their commands
 * declare ({@link SinkBatchWriter}: one transaction for the SQL rows, then KV records, then cache
 * entries); {@code deadLetters} republishes what can never be stored to the dead-letter exchange;
 * {@code queryResponder} answers a REQUEST from the cache, the KV store or the SQL row.
 */
public class StoreConfiguration extends AreaConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        AreaSettings settings = areaSettings(camel);
        AreaSettings.Store store = settings.store();
        ObjectMapper json = bean(camel, "json", ObjectMapper.class);
        TitleRegistry titles = bean(camel, "titleRegistry", TitleRegistry.class);
        DataSource dataSource = bean(camel, "dataSource", DataSource.class);
        KvStore kv = bean(camel, "kvStore", KvStore.class);
        EventCache cache = bean(camel, "eventCache", EventCache.class);

        SinkBatchWriter writer = new SinkBatchWriter(dataSource, bean(camel, "sqlEventStore", SqlEventStore.class),
                new TitleSinks(json, titles, kv, cache), cache,
                Duration.ofSeconds(store.eventCacheTtlSeconds()), json).registerIn(MetricsRegistry.of(camel));
        SinkBatcher batcher = new SinkBatcher(writer, store.batchSize(), store.batchWaitMs(), store.writers(),
                NamedThreads.of(camel));
        // a context service, added after the stores: stopped after the routes (so the consumers'
        // last events are written) and before the stores close
        camel.addService(batcher, true, true);
        camel.getRegistry().bind("sinkBatcher", batcher);
        camel.getRegistry().bind("eventStoreProcessor", new EventStoreProcessor(batcher));
        // the consumers of gamewire's own template store their EVENTs without a Camel exchange;
        // the spring-rabbitmq component's container factory puts that listener in front of Camel's
        camel.getRegistry().bind(ConsumedEventQueues.BEAN, new ConsumedEventQueues(
                store.consumerFastPath(), batcher, bean(camel, "gwp", GwpDataFormat.class)));
        camel.getRegistry().bind("deadLetters", new DeadLetters(
                bean(camel, "envelopePublisher", EnvelopePublisher.class).publisher(),
                settings.bus().deadLetterExchange(), settings.bus().confirmTimeoutMs()));
        camel.getRegistry().bind("queryResponder", new QueryResponder(json, titles, cache, kv, new RowReader(dataSource)));
    }
}

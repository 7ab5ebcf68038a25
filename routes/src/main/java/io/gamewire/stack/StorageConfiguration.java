package io.gamewire.stack;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.config.Settings;
import io.gamewire.config.StartupException;
import io.gamewire.ops.health.BackendHealthCheck;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.cache.MemcachedEventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.kv.RedisKvStore;
import io.gamewire.sinks.sql.DatabaseProbe;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores, one implementation per stack chosen by properties alone: the database
 * ({@code dataSource}: H2 or MySQL/MariaDB, migrated by Flyway before anything uses it) with the
 * events table ({@code sqlEventStore}), the KV store ({@code kvStore}: a file or Redis) and the
 * cache ({@code eventCache}: Caffeine or memcached). Health checks: {@code database}, {@code kv},
 * {@code cache}.
 */
public class StorageConfiguration extends AreaConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StorageConfiguration.class);

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = settings(camel);
        Path dataDir = Path.of(settings.string("gamewire.data-dir"));
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);

        HikariDataSource dataSource = PooledDataSources.create(settings.string("gamewire.db.url"),
                settings.string("gamewire.db.user"), settings.string("gamewire.db.password"),
                settings.integer("gamewire.db.pool-size"), settings.integer("gamewire.db.timeout-ms"));
        closeOnStop(camel, "database pool", dataSource::close);
        migrate(settings, dataSource);
        camel.getRegistry().bind("dataSource", dataSource);
        camel.getRegistry().bind("sqlEventStore", new SqlEventStore(dataSource));
        int probeSeconds = Math.max(1, settings.integer("gamewire.db.timeout-ms") / 1000);
        health.register(new BackendHealthCheck("database", new DatabaseProbe(dataSource, probeSeconds)::check));

        KvStore kvStore = kvStore(settings, dataDir);
        closeOnStop(camel, "KV store", kvStore::close);
        camel.getRegistry().bind("kvStore", kvStore);
        health.register(new BackendHealthCheck("kv", kvStore::ping));

        EventCache eventCache = eventCache(settings);
        closeOnStop(camel, "cache", eventCache::close);
        camel.getRegistry().bind("eventCache", eventCache);
        health.register(new BackendHealthCheck("cache", eventCache::ping));
    }

    private static void migrate(Settings settings, HikariDataSource dataSource) {
        try {
            int applied = SchemaMigrator.migrate(dataSource);
            LOG.info("Database schema up to date ({} migration(s) applied)", applied);
        } catch (RuntimeException e) {
            throw new StartupException("cannot migrate the database at " + settings.string("gamewire.db.url")
                    + " (gamewire.db.url): " + rootMessage(e), e);
        }
    }

    private static KvStore kvStore(Settings settings, Path dataDir) {
        String type = settings.choice("gamewire.kv.type", "embedded", "redis");
        if (type.equals("embedded")) {
            return new MvStoreKvStore(dataDir.resolve("kv").resolve("gamewire.mv.db"));
        }
        return new RedisKvStore(settings.string("gamewire.kv.redis.host"), settings.port("gamewire.kv.redis.port"),
                settings.string("gamewire.kv.redis.password"), settings.integer("gamewire.kv.redis.timeout-ms"),
                settings.string("gamewire.kv.key-prefix"));
    }

    private static EventCache eventCache(Settings settings) {
        String type = settings.choice("gamewire.cache.type", "embedded", "memcached");
        if (type.equals("embedded")) {
            return new CaffeineEventCache(settings.integer("gamewire.cache.max-entries"));
        }
        return new MemcachedEventCache(settings.string("gamewire.cache.memcached.servers"),
                settings.integer("gamewire.cache.memcached.timeout-ms"), settings.string("gamewire.cache.key-prefix"));
    }
}

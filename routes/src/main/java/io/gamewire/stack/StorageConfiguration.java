package io.gamewire.stack;

import io.gamewire.sinks.sql.H2Durability;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.config.StartupException;
import io.gamewire.ops.health.BackendHealthCheck;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.cache.MemcachedEventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.kv.RedisKvStore;
import io.gamewire.sinks.sql.DatabaseProbe;
import io.gamewire.sinks.sql.JdbcUrls;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.sinks.sql.SqlEventStore;
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
        StorageSettings settings = areaSettings(camel).storage();
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);

        HikariDataSource dataSource = openDatabase(settings);
        closeOnStop(camel, "database pool", dataSource::close);
        migrate(settings, dataSource);
        camel.getRegistry().bind("dataSource", dataSource);
        camel.getRegistry().bind("sqlEventStore", new SqlEventStore(dataSource));
        int probeSeconds = Math.max(1, settings.dbTimeoutMs() / 1000);
        health.register(new BackendHealthCheck("database", new DatabaseProbe(dataSource, probeSeconds)::check));

        KvStore kvStore = kvStore(settings);
        closeOnStop(camel, "KV store", kvStore::close);
        camel.getRegistry().bind("kvStore", kvStore);
        // on /observe/health, not /observe/health/ready: without the KV store events still queue on the bus
        health.register(BackendHealthCheck.reportOnly("kv", kvStore::ping));

        EventCache eventCache = eventCache(settings);
        closeOnStop(camel, "cache", eventCache::close);
        camel.getRegistry().bind("eventCache", eventCache);
        // nor without the read cache, whose misses go to the database
        health.register(BackendHealthCheck.reportOnly("cache", eventCache::ping));
    }

    /** The pool, which opens its first connection now: an unreachable database stops the start here. */
    private static HikariDataSource openDatabase(StorageSettings settings) {
        try {
            return PooledDataSources.create(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                    settings.dbPoolSize(), settings.dbTimeoutMs(), H2Durability.connectionInitSql(settings.dbUrl()));
        } catch (RuntimeException e) {
            throw databaseFailure("cannot connect to", settings, e);
        }
    }

    private static void migrate(StorageSettings settings, HikariDataSource dataSource) {
        try {
            int applied = SchemaMigrator.migrate(dataSource);
            LOG.info("Database schema up to date ({} migration(s) applied)", applied);
        } catch (RuntimeException e) {
            throw databaseFailure("cannot migrate", settings, e);
        }
    }

    /** A start refused for the database: the URL without its passwords, the cause, and what to check when TLS failed. */
    private static StartupException databaseFailure(String what, StorageSettings settings, RuntimeException e) {
        return new StartupException(what + " the database at " + JdbcUrls.withoutSecrets(settings.dbUrl())
                + " (gamewire.db.url): " + rootMessage(e) + DatabaseTls.advice(e), e);
    }

    private static KvStore kvStore(StorageSettings settings) {
        if (!settings.redis()) {
            return new MvStoreKvStore(settings.dataDir().resolve("kv").resolve("gamewire.mv.db"));
        }
        return new RedisKvStore(settings.redisConnection(), settings.redisTimeoutMs(), settings.kvKeyPrefix());
    }

    private static EventCache eventCache(StorageSettings settings) {
        if (!settings.memcached()) {
            return new CaffeineEventCache(settings.cacheMaxEntries());
        }
        return new MemcachedEventCache(settings.memcachedServers(), settings.memcachedTimeoutMs(),
                settings.cacheKeyPrefix());
    }
}

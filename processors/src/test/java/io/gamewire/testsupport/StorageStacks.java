package io.gamewire.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.sinks.cache.CaffeineEventCache;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.cache.MemcachedEventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.kv.MvStoreKvStore;
import io.gamewire.sinks.kv.RedisConnection;
import io.gamewire.sinks.kv.RedisKvStore;
import io.gamewire.sinks.sql.PooledDataSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs every {@link StackTest} once on each {@link Stack} of this build ({@link Stack#inThisBuild()})
 * that the test names, the stack in the run's display name, and gives each run its stack's storage
 * as parameters of the test and of its class's {@code @BeforeEach} methods:
 *
 * <ul>
 *   <li>{@link Stack}: the stack of this run;
 *   <li>{@link HikariDataSource}: an empty database, an H2 file in MySQL mode on the embedded stack,
 *       a database of its own ({@link ScratchMysqlDatabase}) on MySQL/MariaDB;
 *   <li>{@link KvStore}: an MVStore file, or Redis under a key prefix of its own;
 *   <li>{@link EventCache}: Caffeine, or memcached under a key prefix of its own.
 * </ul>
 *
 * <p>Each is made for one run when first asked for (the same one for every parameter of the run)
 * and closed after the run's {@code @AfterEach} methods: the pool is closed and the MySQL database
 * dropped, the embedded files deleted. Keys a test wrote to Redis or memcached are its own to remove.
 * A real service that is down fails the run with its name and address ({@link RealServices}); nothing
 * is skipped.
 */
public final class StorageStacks implements TestTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StorageStacks.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().filter(method -> AnnotationSupport.isAnnotated(method, StackTest.class))
                .isPresent();
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        List<Stack> named = Arrays.asList(AnnotationSupport.findAnnotation(context.getRequiredTestMethod(),
                StackTest.class).orElseThrow().value());
        return Stack.inThisBuild().stream().filter(named::contains).map(Run::new);
    }

    /** A test of the services stack alone has no run in a build without it. */
    @Override
    public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
        return true;
    }

    /** One run of a test on one stack. */
    private record Run(Stack stack) implements TestTemplateInvocationContext, ParameterResolver {

        @Override
        public String getDisplayName(int invocationIndex) {
            return stack.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == Stack.class || type == HikariDataSource.class || type == KvStore.class
                    || type == EventCache.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            if (type == Stack.class) {
                return stack;
            }
            Storage storage = context.getStore(NAMESPACE).getOrComputeIfAbsent(Storage.class,
                    key -> new Storage(stack), Storage.class);
            if (type == HikariDataSource.class) {
                return storage.dataSource();
            }
            return type == KvStore.class ? storage.kv() : storage.cache();
        }
    }

    /** The storage of one run, made on demand; JUnit closes it with the run's extension context. */
    private static final class Storage implements AutoCloseable {

        private final Stack stack;
        private Path folder;
        private ScratchMysqlDatabase mysql;
        private HikariDataSource dataSource;
        private KvStore kv;
        private EventCache cache;

        Storage(Stack stack) {
            this.stack = stack;
        }

        HikariDataSource dataSource() {
            if (dataSource == null) {
                if (stack == Stack.EMBEDDED) {
                    dataSource = PooledDataSources.create("jdbc:h2:file:" + folder().resolve("db")
                            + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2, 2000);
                } else {
                    mysql = new ScratchMysqlDatabase();
                    dataSource = mysql.open();
                }
            }
            return dataSource;
        }

        KvStore kv() {
            if (kv == null) {
                if (stack == Stack.EMBEDDED) {
                    kv = new MvStoreKvStore(folder().resolve("kv/contract.mv.db"));
                } else {
                    RealServices.requireReachable("Redis", RealServices.REDIS_HOST, RealServices.REDIS_PORT);
                    kv = new RedisKvStore(RedisConnection.plaintext(RealServices.REDIS_HOST, RealServices.REDIS_PORT,
                            null), 2000, RealServices.uniqueName("gwtest") + ":");
                }
            }
            return kv;
        }

        EventCache cache() {
            if (cache == null) {
                if (stack == Stack.EMBEDDED) {
                    cache = new CaffeineEventCache(1000);
                } else {
                    String first = RealServices.MEMCACHED_SERVERS.split("[ ,]")[0];
                    RealServices.requireReachable("memcached", first.split(":")[0],
                            Integer.parseInt(first.split(":")[1]));
                    cache = new MemcachedEventCache(RealServices.MEMCACHED_SERVERS, 2000,
                            RealServices.uniqueName("gwtest") + ":");
                }
            }
            return cache;
        }

        private Path folder() {
            if (folder == null) {
                try {
                    folder = Files.createTempDirectory("gamewire-" + stack.name().toLowerCase(Locale.ROOT) + "-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return folder;
        }

        @Override
        public void close() throws Exception {
            try (AutoCloseable deleteFolder = this::deleteFolder;
                 AutoCloseable dropDatabase = () -> {
                     if (mysql != null) {
                         mysql.drop();
                     }
                 };
                 AutoCloseable pool = dataSource;
                 AutoCloseable kvStore = kv;
                 AutoCloseable eventCache = cache) {
                // closed in reverse order: cache, KV store, pool, then the database and the files
            }
        }

        private void deleteFolder() throws IOException {
            if (folder == null) {
                return;
            }
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}

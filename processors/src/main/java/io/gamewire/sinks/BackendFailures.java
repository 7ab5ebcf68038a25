package io.gamewire.sinks;

import io.gamewire.sinks.cache.CacheException;
import io.gamewire.sinks.kv.KvStoreException;
import java.net.ConnectException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;

/**
 * The failures that say a backend is unreachable or busy, not that the event is wrong: waiting
 * and trying again will succeed. Every failure of the KV store or the cache counts (the event was
 * checked before it reached them), so an event is never dead-lettered because Redis or memcached
 * was down. The consumer route retries these for as long as it takes; a batch
 * that fails with one is retried as it was (every event of it that needed that backend), not
 * event by event.
 */
public final class BackendFailures {

    /** The exception types, for the route's {@code onException}. */
    public static final List<Class<? extends Throwable>> UNREACHABLE = List.of(SQLTransientException.class,
            SQLNonTransientConnectionException.class, SQLRecoverableException.class, ConnectException.class,
            KvStoreException.class, CacheException.class);

    private BackendFailures() {
    }

    /** True when the failure, or one of its causes, is of an {@link #UNREACHABLE} type. */
    public static boolean isUnreachable(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause() == at ? null : at.getCause()) {
            for (Class<? extends Throwable> type : UNREACHABLE) {
                if (type.isInstance(at)) {
                    return true;
                }
            }
        }
        return false;
    }
}

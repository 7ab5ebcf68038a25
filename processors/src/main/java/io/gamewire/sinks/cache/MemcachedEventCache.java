package io.gamewire.sinks.cache;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.SerializingTranscoder;
import net.rubyeye.xmemcached.utils.AddrUtil;

/**
 * The production cache: a pool of memcached servers, keys spread over them by consistent (Ketama)
 * hashing, so adding or losing a server remaps only that server's share of the keys.
 *
 * <p>Keys are prefixed with {@code keyPrefix} to keep deployments sharing a pool apart, and made
 * legal for memcached by {@link MemcachedKeys}: a key with a space, a control character or over
 * 250 bytes is stored, as on the embedded cache, not refused.
 */
public class MemcachedEventCache implements EventCache {

    private final MemcachedClient client;
    private final String keyPrefix;
    private final String servers;
    private final int serverCount;

    /**
     * @param servers        space- or comma-separated {@code host:port} list
     * @param timeoutMillis  operation timeout
     * @param keyPrefix      prepended to every key
     */
    public MemcachedEventCache(String servers, int timeoutMillis, String keyPrefix) {
        this.servers = servers;
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
        String list = servers.replace(',', ' ').trim();
        this.serverCount = list.split("\\s+").length;
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(list));
        builder.setSessionLocator(new KetamaMemcachedSessionLocator());
        builder.setConnectTimeout(timeoutMillis);
        builder.setOpTimeout(timeoutMillis);
        builder.setTranscoder(new SerializingTranscoder());
        try {
            this.client = builder.build();
        } catch (IOException e) {
            throw new CacheException("cannot connect to memcached at " + servers + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        try {
            client.set(MemcachedKeys.of(keyPrefix, key), TtlSeconds.of(ttl), value);
        } catch (Exception e) {
            throw failure("set " + key, e);
        }
    }

    /**
     * Sends every entry without waiting for its reply ({@code noreply}): one batch costs one write
     * per server connection, not a round trip per entry. Then one round trip to every server
     * ({@code version}): each server handles a connection's commands in order, so its answer
     * means it has read every set before it, and a connection lost meanwhile fails the batch (the
     * events are retried, never acked with their entries unsent). What memcached itself does with
     * an entry (eviction under memory pressure, an item over its size limit) it never reports to a
     * noreply set: the cache is a read cache, and readers fall back to the KV store and SQL.
     */
    @Override
    public void putAll(java.util.List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            for (Entry entry : entries) {
                client.setWithNoReply(MemcachedKeys.of(keyPrefix, entry.key()), TtlSeconds.of(entry.ttl()), entry.value());
            }
            if (client.getVersions().size() < serverCount) {
                throw new CacheException("memcached: not every server of " + servers + " answered after a batch of "
                        + entries.size() + " sets", null);
            }
        } catch (CacheException e) {
            throw e;
        } catch (Exception e) {
            throw failure("set of " + entries.size() + " entries", e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.ofNullable(client.get(MemcachedKeys.of(keyPrefix, key)));
        } catch (Exception e) {
            throw failure("get " + key, e);
        }
    }

    @Override
    public void invalidate(String key) {
        try {
            client.delete(MemcachedKeys.of(keyPrefix, key));
        } catch (Exception e) {
            throw failure("delete " + key, e);
        }
    }

    /** Every configured server must be connected: a missing one would silently shrink the pool. */
    @Override
    public void ping() {
        int available = client.getAvailableServers().size();
        if (available < serverCount) {
            throw new CacheException("memcached: " + available + " of " + serverCount + " servers reachable ("
                    + servers + ")", null);
        }
        try {
            client.getVersions();
        } catch (Exception e) {
            throw failure("version", e);
        }
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } catch (IOException e) {
            throw failure("shutdown", e);
        }
    }

    private CacheException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new CacheException("memcached at " + servers + " failed " + what + ": " + e.getMessage(), e);
    }
}

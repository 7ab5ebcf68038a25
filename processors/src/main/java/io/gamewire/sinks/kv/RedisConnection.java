package io.gamewire.sinks.kv;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * How gamewire reaches a Redis ({@code gamewire.kv.redis.*}), for the KV store and the shared rate
 * limits alike: its address, its password (null or empty: none) and, for a Redis that takes TLS (its
 * {@code tls-port}), the sockets and their parameters ({@code gamewire.kv.redis.tls*}; null: plaintext).
 */
public record RedisConnection(String host, int port, String password, SSLSocketFactory tlsSockets,
                              SSLParameters tlsParameters) {

    /** A plaintext connection. */
    public static RedisConnection plaintext(String host, int port, String password) {
        return new RedisConnection(host, port, password, null, null);
    }

    public HostAndPort address() {
        return new HostAndPort(host, port);
    }

    /** The client's settings, a connect and each command bounded by {@code timeoutMs}. */
    public JedisClientConfig config(int timeoutMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .password(password == null || password.isEmpty() ? null : password)
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs);
        if (tlsSockets != null) {
            config.ssl(true).sslSocketFactory(tlsSockets).sslParameters(tlsParameters);
        }
        return config.build();
    }

    /** {@code host:port}, and whether over TLS, for messages. */
    public String describe() {
        return host + ":" + port + (tlsSockets == null ? "" : " (TLS)");
    }

    /** {@link #describe()}: never the password, which a record's own {@code toString} would show. */
    @Override
    public String toString() {
        return describe();
    }
}

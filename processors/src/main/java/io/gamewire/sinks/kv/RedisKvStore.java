package io.gamewire.sinks.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The production KV store: one Redis hash per record, so a write touches only the fields it names
 * ({@code HSET}) and a record grows field by field.
 *
 * <p>Every key is prefixed with {@code keyPrefix}, so that several deployments (or test runs) can
 * share one Redis without seeing each other's records.
 */
public class RedisKvStore implements KvStore {

    private final JedisPooled redis;
    private final String keyPrefix;
    private final String address;

    public RedisKvStore(RedisConnection connection, int timeoutMillis, String keyPrefix) {
        this.redis = new JedisPooled(connection.address(), connection.config(timeoutMillis));
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
        this.address = connection.describe();
    }

    @Override
    public void merge(String key, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return;
        }
        call("HSET " + key, () -> redis.hset(keyPrefix + key, fields));
    }

    /** All HSETs in one pipeline: one round trip for a batch of events, not one per record. */
    @Override
    public void mergeAll(List<Merge> merges) {
        if (merges.isEmpty()) {
            return;
        }
        call("HSET of " + merges.size() + " records", () -> {
            List<Response<Long>> replies = new ArrayList<>(merges.size());
            try (AbstractPipeline pipeline = redis.pipelined()) {
                for (Merge merge : merges) {
                    if (!merge.fields().isEmpty()) {
                        replies.add(pipeline.hset(keyPrefix + merge.key(), merge.fields()));
                    }
                }
                pipeline.sync();
            }
            replies.forEach(Response::get); // throws the first command's error
            return null;
        });
    }

    @Override
    public long increment(String key, String field, long delta) {
        return call("HINCRBY " + key + " " + field, () -> redis.hincrBy(keyPrefix + key, field, delta));
    }

    @Override
    public Map<String, String> get(String key) {
        return call("HGETALL " + key, () -> Map.copyOf(redis.hgetAll(keyPrefix + key)));
    }

    @Override
    public boolean delete(String key) {
        return call("DEL " + key, () -> redis.del(keyPrefix + key) > 0);
    }

    /** A sorted set; its key gets the suffix {@code :scored}, so it never meets a record's hash. */
    @Override
    public void addScored(String key, Map<String, Long> scores) {
        if (scores.isEmpty()) {
            return;
        }
        Map<String, Double> members = new java.util.HashMap<>(scores.size() * 2);
        scores.forEach((member, score) -> members.put(member, score.doubleValue()));
        call("ZADD " + key, () -> redis.zadd(scoredKey(key), members));
    }

    @Override
    public OptionalLong score(String key, String member) {
        Double score = call("ZSCORE " + key, () -> redis.zscore(scoredKey(key), member));
        return score == null ? OptionalLong.empty() : OptionalLong.of(score.longValue());
    }

    @Override
    public long trimScored(String key, long minScore, int keep) {
        return call("ZREMRANGEBYSCORE/ZREMRANGEBYRANK " + key, () -> {
            // "(" makes the bound exclusive: below minScore, not at it
            long removed = redis.zremrangeByScore(scoredKey(key), "-inf", "(" + minScore);
            // ranks from the lowest score: 0 .. -(keep+1) are all but the keep highest
            return removed + redis.zremrangeByRank(scoredKey(key), 0, -(long) keep - 1);
        });
    }

    @Override
    public long scoredSize(String key) {
        return call("ZCARD " + key, () -> redis.zcard(scoredKey(key)));
    }

    @Override
    public boolean deleteScored(String key) {
        return call("DEL " + key, () -> redis.del(scoredKey(key)) > 0);
    }

    private String scoredKey(String key) {
        return keyPrefix + key + ":scored";
    }

    @Override
    public void ping() {
        call("PING", redis::ping);
    }

    @Override
    public void close() {
        redis.close();
    }

    private <T> T call(String what, java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new KvStoreException("Redis at " + address + " failed " + what + ": " + e.getMessage(), e);
        }
    }
}

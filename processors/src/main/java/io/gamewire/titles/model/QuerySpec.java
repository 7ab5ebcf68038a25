package io.gamewire.titles.model;

import java.util.Map;

/**
 * How a query command is answered: from the first of its sources that has the record, tried in the
 * order cache, {@code kv}, {@code sql}. At least one of {@code kv} and {@code sql} is given (the
 * parser makes sure); the cache only holds copies of earlier answers, so it is never a source alone.
 *
 * @param cache optional: looked at first, and filled with the answer when a source had it; it has
 *              the shape of a cache sink (key template and TTL)
 * @param kv    optional: the KV record (hash) named by this template, placeholders from the request
 * @param sql   optional: one row of a title table, by its key
 */
public record QuerySpec(CacheSink cache, KeyTemplate kv, SqlSource sql) {

    /**
     * One row of a table that a {@code sql:} sink of the same title file declares.
     *
     * @param table the sink declaring the table: its columns and their types make the answer
     * @param key   every key column of the table, in the table's key order, with the request payload
     *              path its value comes from
     */
    public record SqlSource(SqlSink table, Map<String, JsonPath> key) {
    }
}

package io.gamewire.titles.model;

import java.util.List;
import java.util.Map;

/**
 * A table a command's events are upserted into: one row per {@code key}, columns taken from the
 * payload by JSON path.
 */
public record SqlSink(String table, List<String> key, Map<String, SqlColumn> columns) {

    /** A column: its SQL type and the payload path its value comes from. */
    public record SqlColumn(String name, SqlType type, JsonPath from) {
    }
}

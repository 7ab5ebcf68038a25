package io.gamewire.capacity.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The table {@code capacity_counters} (V5): every instance's {@link UsageCounters} totals, one row
 * per instance and series, so that the one sampling instance sees the events every instance had
 * confirmed. An instance id is new at each start (see {@code CapacityConfiguration}), so a restart
 * leaves the old row as it was and starts a new one from 0: the sum never goes down, until
 * {@link #prune} removes the rows of instances gone for a day.
 */
public final class UsageCounterTable {

    private static final String UPSERT = "INSERT INTO capacity_counters (instance_id, series, total, updated_at_ms)"
            + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE total = VALUES(total), updated_at_ms = VALUES(updated_at_ms)";

    private final DataSource dataSource;

    public UsageCounterTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes an instance's totals, every row stamped {@code nowMs} (also those that did not change). */
    public void publish(String instanceId, Map<String, Long> totals, long nowMs) throws SQLException {
        if (totals.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (Map.Entry<String, Long> total : totals.entrySet()) {
                upsert.setString(1, instanceId);
                upsert.setString(2, total.getKey());
                upsert.setLong(3, total.getValue());
                upsert.setLong(4, nowMs);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** The sum over all instances' rows, per series. */
    public Map<String, Long> sums() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT series, SUM(total) FROM capacity_counters GROUP BY series");
             ResultSet rows = select.executeQuery()) {
            Map<String, Long> sums = new HashMap<>();
            while (rows.next()) {
                sums.put(rows.getString(1), rows.getLong(2));
            }
            return sums;
        }
    }

    /** Deletes the rows not written since {@code olderThanMs}; returns how many. */
    public int prune(long olderThanMs) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM capacity_counters WHERE updated_at_ms < ?")) {
            delete.setLong(1, olderThanMs);
            return delete.executeUpdate();
        }
    }
}

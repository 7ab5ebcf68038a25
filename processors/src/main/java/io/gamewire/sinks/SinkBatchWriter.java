package io.gamewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes a batch of events to every sink in one database transaction: their {@code events} rows
 * in multi-row statements ({@link SqlEventStore#insert}), then each title table's rows in one JDBC
 * batch per table, one commit; only
 * after the commit, each event's KV record and cache entries ({@link TitleSinks}). Every write is
 * idempotent, so writing a batch again after a crash stores each event once.
 *
 * <p>One bad event must not fail the others: an event whose payload cannot be planned fails
 * alone; a transaction refused for any reason but an unreachable database is retried event by
 * event, in a transaction each, so only the event the database refuses fails. An unreachable
 * database fails the whole batch, to be retried whole.
 *
 * <p>Rows are written in a fixed order (message id, then table and key) so that two writers whose
 * batches touch the same rows take their locks in the same order and do not deadlock.
 */
public final class SinkBatchWriter implements SinkBatcher.BatchWriter {

    private final DataSource dataSource;
    private final SqlEventStore events;
    private final TitleSinks titleSinks;
    private final EventCache cache;
    private final Duration eventCacheTtl;
    private final ObjectMapper json;

    public SinkBatchWriter(DataSource dataSource, SqlEventStore events, TitleSinks titleSinks, EventCache cache,
                           Duration eventCacheTtl, ObjectMapper json) {
        this.dataSource = dataSource;
        this.events = events;
        this.titleSinks = titleSinks;
        this.cache = cache;
        this.eventCacheTtl = eventCacheTtl;
        this.json = json;
    }

    /**
     * Writes the events; returns, per event in the same order, null when it is stored in every
     * sink, else why it is not.
     */
    @Override
    public List<Throwable> write(List<StoredEvent> batch) {
        Throwable[] failures = new Throwable[batch.size()];
        List<TitleSinks.Writes> planned = new ArrayList<>(batch.size());
        List<Integer> plannedAt = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            try {
                planned.add(titleSinks.plan(batch.get(i)));
                plannedAt.add(i);
            } catch (Exception e) {
                failures[i] = e;
            }
        }
        try {
            commit(planned);
        } catch (SQLException | RuntimeException e) {
            if (planned.size() == 1 || BackendFailures.isUnreachable(e)) {
                plannedAt.forEach(i -> failures[i] = e);
            } else {
                for (int i = 0; i < planned.size(); i++) {
                    failures[plannedAt.get(i)] = writeAlone(planned.get(i));
                }
            }
        }
        return afterCommit(planned, plannedAt, failures);
    }

    private Throwable writeAlone(TitleSinks.Writes writes) {
        try {
            commit(List.of(writes));
            return null;
        } catch (SQLException | RuntimeException e) {
            return e;
        }
    }

    /**
     * The KV records and cache entries of the committed events, all in one pipeline each: a round
     * trip per batch, not per event. If either store fails, the committed events fail with it and
     * are written again (idempotently) when retried.
     */
    private List<Throwable> afterCommit(List<TitleSinks.Writes> planned, List<Integer> plannedAt,
                                        Throwable[] failures) {
        List<TitleSinks.Writes> committed = new ArrayList<>(planned.size());
        List<Integer> committedAt = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            if (failures[plannedAt.get(i)] == null) {
                committed.add(planned.get(i));
                committedAt.add(plannedAt.get(i));
            }
        }
        if (committed.isEmpty()) {
            return Arrays.asList(failures);
        }
        try {
            titleSinks.writeAfterCommit(committed);
            List<EventCache.Entry> views = new ArrayList<>(committed.size());
            for (TitleSinks.Writes writes : committed) {
                StoredEvent event = writes.event();
                views.add(new EventCache.Entry(EventView.cacheKey(event.messageId()), EventView.toJson(json, event),
                        eventCacheTtl));
            }
            cache.putAll(views);
        } catch (RuntimeException e) {
            committedAt.forEach(i -> failures[i] = e);
        }
        return Arrays.asList(failures);
    }

    private void commit(List<TitleSinks.Writes> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        List<StoredEvent> rows = writes.stream().map(TitleSinks.Writes::event)
                .sorted(Comparator.comparing(StoredEvent::messageId)).toList();
        Map<RowUpserter.Table, List<RowUpserter.Row>> tables = new LinkedHashMap<>();
        writes.stream().filter(w -> w.row() != null)
                .sorted(Comparator.comparing((TitleSinks.Writes w) -> w.table().name())
                        .thenComparing(w -> keyOf(w.table(), w.row())))
                .forEach(w -> tables.computeIfAbsent(w.table(), t -> new ArrayList<>()).add(w.row()));
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                events.insert(connection, rows);
                for (Map.Entry<RowUpserter.Table, List<RowUpserter.Row>> table : tables.entrySet()) {
                    RowUpserter.upsert(connection, table.getKey(), table.getValue());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreQuietly(connection, autoCommit);
            }
        }
    }

    private static String keyOf(RowUpserter.Table table, RowUpserter.Row row) {
        StringBuilder key = new StringBuilder();
        for (String column : table.keyColumns()) {
            key.append(row.values().get(column)).append('\u0000');
        }
        return key.toString();
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is likely gone; the failure says why
        }
    }

    private static void restoreQuietly(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // a broken connection: the pool discards it
        }
    }
}

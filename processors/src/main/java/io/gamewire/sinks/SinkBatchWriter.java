package io.gamewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * database fails every event of the batch that needs it, to be retried; the others (below) are
 * stored.
 *
 * <p>A command with {@code event-row: false} in its title file gets no {@code events} row: its
 * events are written to their own sinks (and the cached view) only, and such an event without a
 * table row does not touch the database: it is stored while the database is down, whatever the
 * other events of its batch wait for.
 *
 * <p>A message id names one event (of a command with an {@code events} row): the first event
 * stored under an id is the one every sink holds. An event whose id is stored already with another
 * payload or routing key (a client reused an id, a resend changed its body) is written nowhere,
 * acknowledged, logged and counted
 * ({@code gamewire.sink.resends.dropped}); a redelivery of the same event is written again, which
 * changes nothing. The check costs nothing while the insert counts no resend; then it reads back
 * the rows that were inserted more than once ({@link SqlEventStore#resentRows}).
 *
 * <p>Rows are written in a fixed order (message id, then table and key) so that two writers whose
 * batches touch the same rows take their locks in the same order and do not deadlock.
 */
public final class SinkBatchWriter implements SinkBatcher.BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SinkBatchWriter.class);

    private final DataSource dataSource;
    private final SqlEventStore events;
    private final TitleSinks titleSinks;
    private final EventCache cache;
    private final Duration eventCacheTtl;
    private final ObjectMapper json;
    private final AtomicLong droppedResends = new AtomicLong();

    public SinkBatchWriter(DataSource dataSource, SqlEventStore events, TitleSinks titleSinks, EventCache cache,
                           Duration eventCacheTtl, ObjectMapper json) {
        this.dataSource = dataSource;
        this.events = events;
        this.titleSinks = titleSinks;
        this.cache = cache;
        this.eventCacheTtl = eventCacheTtl;
        this.json = json;
    }

    /** Registers {@code gamewire.sink.resends.dropped}: events not written because their id names another event. */
    public SinkBatchWriter registerIn(MeterRegistry meters) {
        FunctionCounter.builder("gamewire.sink.resends.dropped", droppedResends, AtomicLong::get)
                .description("events written to no sink because their message id was stored already with another"
                        + " payload or routing key (a message id names one event: the first stored wins)")
                .register(meters);
        return this;
    }

    /** Events dropped since the start because their message id names another event. */
    public long droppedResends() {
        return droppedResends.get();
    }

    /**
     * Writes the events; returns, per event in the same order, null when it is stored in every
     * sink (or is a resend of another event under a stored id, which is dropped), else why it is not.
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
        // only the events with an events row or a table row wait for the database: an event of a
        // command with event-row: false and no SQL sink is stored while the database is down
        List<TitleSinks.Writes> forDatabase = new ArrayList<>(planned.size());
        List<Integer> forDatabaseAt = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            if (needsDatabase(planned.get(i))) {
                forDatabase.add(planned.get(i));
                forDatabaseAt.add(plannedAt.get(i));
            }
        }
        Set<TitleSinks.Writes> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            dropped.addAll(commit(forDatabase));
        } catch (SQLException | RuntimeException e) {
            if (forDatabase.size() == 1 || BackendFailures.isUnreachable(e)) {
                forDatabaseAt.forEach(i -> failures[i] = e);
            } else {
                for (int i = 0; i < forDatabase.size(); i++) {
                    failures[forDatabaseAt.get(i)] = writeAlone(forDatabase.get(i), dropped);
                }
            }
        }
        return afterCommit(planned, plannedAt, failures, dropped);
    }

    /** Whether the event writes a row: its {@code events} row, its title table's, or both. */
    private static boolean needsDatabase(TitleSinks.Writes writes) {
        return writes.eventRow() || writes.row() != null;
    }

    private Throwable writeAlone(TitleSinks.Writes writes, Set<TitleSinks.Writes> dropped) {
        try {
            dropped.addAll(commit(List.of(writes)));
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
                                        Throwable[] failures, Set<TitleSinks.Writes> dropped) {
        List<TitleSinks.Writes> committed = new ArrayList<>(planned.size());
        List<Integer> committedAt = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            if (failures[plannedAt.get(i)] == null && !dropped.contains(planned.get(i))) {
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
                views.add(new EventCache.Entry(EventView.cacheKey(event.messageId()),
                        EventView.toJson(json, event, writes.payload()), eventCacheTtl));
            }
            cache.putAll(views);
        } catch (RuntimeException e) {
            committedAt.forEach(i -> failures[i] = e);
        }
        return Arrays.asList(failures);
    }

    /**
     * One transaction: the {@code events} rows, then the title rows of the events that are not
     * resends of another event under a stored id; returns those, written nowhere.
     */
    private Set<TitleSinks.Writes> commit(List<TitleSinks.Writes> writes) throws SQLException {
        if (writes.isEmpty()) {
            return Set.of();
        }
        List<TitleSinks.Writes> withRows = writes.stream().filter(TitleSinks.Writes::eventRow).toList();
        // a stable sort: of two events with one id in a batch, the first is inserted, the second is a resend
        List<StoredEvent> rows = withRows.stream().map(TitleSinks.Writes::event)
                .sorted(Comparator.comparing(StoredEvent::messageId)).toList();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // nearly always none was there: then nothing is read back
                Set<TitleSinks.Writes> dropped = events.insert(connection, rows) == 0 ? Set.of()
                        : resendsOfOtherEvents(connection, withRows);
                for (Map.Entry<RowUpserter.Table, List<RowUpserter.Row>> table : tableRows(writes, dropped).entrySet()) {
                    RowUpserter.upsert(connection, table.getKey(), table.getValue());
                }
                connection.commit();
                dropped.forEach(this::logDropped);
                return dropped;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreQuietly(connection, autoCommit);
            }
        }
    }

    /**
     * Of the writes with an {@code events} row, those whose message id is stored already for another
     * event (another payload or routing key).
     */
    private Set<TitleSinks.Writes> resendsOfOtherEvents(Connection connection, List<TitleSinks.Writes> withRows)
            throws SQLException {
        Map<UUID, SqlEventStore.FirstStored> resent = events.resentRows(connection,
                withRows.stream().map(w -> w.event().messageId()).toList());
        Set<TitleSinks.Writes> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TitleSinks.Writes resend : withRows) {
            SqlEventStore.FirstStored first = resent.get(resend.event().messageId());
            if (first != null && !first.isSameAs(resend.event())) {
                dropped.add(resend);
            }
        }
        return dropped;
    }

    /** The title rows to upsert, by table, in the fixed lock order (table, then key). */
    private static Map<RowUpserter.Table, List<RowUpserter.Row>> tableRows(List<TitleSinks.Writes> writes,
                                                                           Set<TitleSinks.Writes> dropped) {
        Map<RowUpserter.Table, List<RowUpserter.Row>> tables = new LinkedHashMap<>();
        writes.stream().filter(w -> w.row() != null && !dropped.contains(w))
                .sorted(Comparator.comparing((TitleSinks.Writes w) -> w.table().name())
                        .thenComparing(w -> keyOf(w.table(), w.row())))
                .forEach(w -> tables.computeIfAbsent(w.table(), t -> new ArrayList<>()).add(w.row()));
        return tables;
    }

    private void logDropped(TitleSinks.Writes writes) {
        long dropped = droppedResends.incrementAndGet();
        StoredEvent event = writes.event();
        LOG.warn("Event {} ({}) is written to no sink: its message id is stored already for another event (another"
                + " payload or routing key); a message id names one event and the first stored wins ({} dropped so far)",
                event.messageId(), event.routingKey(), dropped);
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

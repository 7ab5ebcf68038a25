package io.gamewire.sinks.kv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The embedded KV store: H2's MVStore, a persistent log-structured map in one file.
 *
 * <p>It ships inside the H2 jar that the embedded SQL database needs anyway, so the embedded
 * stack gains a durable KV store with no further dependency. Each write is committed before it
 * returns, so an acknowledged message is never lost by a crash of the process.
 */
public class MvStoreKvStore implements KvStore {

    private final MVStore store;
    private final MVMap<String, HashMap<String, String>> records;
    private final Path file;

    /** Opens (or creates) the store in {@code file}; its folder is created when missing. */
    public MvStoreKvStore(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (Exception e) {
            throw new KvStoreException("cannot open the embedded KV store at " + file + ": " + e.getMessage(), e);
        }
        this.records = store.openMap("records");
    }

    @Override
    public synchronized void merge(String key, Map<String, String> fields) {
        checkOpen();
        HashMap<String, String> merged = new HashMap<>(records.getOrDefault(key, new HashMap<>()));
        merged.putAll(fields);
        records.put(key, merged);
        store.commit();
    }

    @Override
    public synchronized long increment(String key, String field, long delta) {
        checkOpen();
        HashMap<String, String> record = new HashMap<>(records.getOrDefault(key, new HashMap<>()));
        long value = parse(key, field, record.get(field)) + delta;
        record.put(field, Long.toString(value));
        records.put(key, record);
        store.commit();
        return value;
    }

    private static long parse(String key, String field, String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new KvStoreException("field '" + field + "' of '" + key + "' is '" + value + "', not a whole number", e);
        }
    }

    @Override
    public Map<String, String> get(String key) {
        checkOpen();
        HashMap<String, String> record = records.get(key);
        return record == null ? Map.of() : Map.copyOf(record);
    }

    @Override
    public synchronized boolean delete(String key) {
        checkOpen();
        boolean existed = records.remove(key) != null;
        store.commit();
        return existed;
    }

    @Override
    public void ping() {
        checkOpen();
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    private void checkOpen() {
        if (store.isClosed()) {
            throw new KvStoreException("the embedded KV store at " + file + " is closed", null);
        }
    }
}

package io.gamewire.sinks.kv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded KV store: H2's MVStore, a persistent log-structured map in one file.
 *
 * <p>It ships inside the H2 jar that the embedded SQL database needs anyway, so the embedded
 * stack gains a durable KV store with no further dependency. Each write is committed before it
 * returns, so an acknowledged message is never lost by a crash of the process; {@link #mergeAll}
 * commits once for the whole batch, since MVStore writes every page a commit touched anew.
 *
 * <p>Records are kept as {@link KvRecordBytes} in the map {@value #RECORDS}. Stores written before
 * that (2026-12-03) hold them as Java-serialized maps in {@value #SERIALIZED_RECORDS}; opening such
 * a store moves them over ({@link #moveSerializedRecords()}). A moved store cannot go back to an
 * earlier gamewire, which would find no records.
 *
 * <p>Reads are not synchronized ({@link MVMap} is safe for reads beside writes); they may see a
 * batch's records before its commit, as they could see one record's before.
 */
public class MvStoreKvStore implements KvStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreKvStore.class);

    /** The map of records: key to {@link KvRecordBytes}. */
    static final String RECORDS = "records-v2";
    /** The map of records before {@link #RECORDS}: key to a {@code HashMap} in H2's default value type. */
    static final String SERIALIZED_RECORDS = "records";

    /** Scored sets, member by member: set key, NUL, member → score. */
    static final String SCORED_MEMBERS = "scored-members";
    /** Scored sets in score order: set key, NUL, 16 hex digits of the score, NUL, member → score. */
    static final String SCORED_ORDER = "scored-order";
    /** Scored sets' sizes: set key → members. */
    static final String SCORED_SIZES = "scored-sizes";

    private final MVStore store;
    private final MVMap<String, byte[]> records;
    private final MVMap<String, Long> scoredMembers;
    private final MVMap<String, Long> scoredOrder;
    private final MVMap<String, Long> scoredSizes;
    private final Path file;

    /** Opens (or creates) the store in {@code file}; its folder is created when missing. */
    public MvStoreKvStore(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // "retry:": H2's file system that reopens the file when an interrupted thread's write
            // closed its channel (Java's FileChannel closes itself on an interrupt). A pull run
            // interrupted at a stop still stores its failure and watermark; on a plain channel that
            // write broke the store for everyone (PullRunnerCloseTest)
            this.store = new MVStore.Builder().fileName("retry:" + file).autoCommitDisabled().open();
        } catch (Exception e) {
            throw new KvStoreException("cannot open the embedded KV store at " + file + ": " + e.getMessage(), e);
        }
        try {
            this.records = store.openMap(RECORDS, new MVMap.Builder<String, byte[]>()
                    .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
            this.scoredMembers = store.openMap(SCORED_MEMBERS);
            this.scoredOrder = store.openMap(SCORED_ORDER);
            this.scoredSizes = store.openMap(SCORED_SIZES);
            moveSerializedRecords();
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e instanceof KvStoreException ? e
                    : new KvStoreException("cannot open the embedded KV store at " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the records of the old form over. The old map goes in the last commit, so a crash
     * halfway (MVStore may also commit on its own when its unsaved changes pass its buffer size)
     * leaves it to be moved again at the next open, which writes the same records again.
     */
    private void moveSerializedRecords() {
        if (!store.hasMap(SERIALIZED_RECORDS)) {
            return;
        }
        MVMap<String, HashMap<String, String>> serialized = store.openMap(SERIALIZED_RECORDS);
        int moved = 0;
        for (Map.Entry<String, HashMap<String, String>> record : serialized.entrySet()) {
            records.put(record.getKey(), KvRecordBytes.encode(record.getValue()));
            moved++;
        }
        store.removeMap(serialized);
        store.commit();
        LOG.info("Moved {} record(s) of the embedded KV store {} to its current format (map {}); a gamewire"
                + " built before 2026-12-03 no longer reads them", moved, file, RECORDS);
    }

    @Override
    public synchronized void merge(String key, Map<String, String> fields) {
        checkOpen();
        put(key, fields);
        store.commit();
    }

    @Override
    public synchronized void mergeAll(List<Merge> merges) {
        checkOpen();
        for (Merge merge : merges) {
            put(merge.key(), merge.fields());
        }
        store.commit();
    }

    private void put(String key, Map<String, String> fields) {
        Map<String, String> merged = read(key);
        merged.putAll(fields);
        records.put(key, KvRecordBytes.encode(merged));
    }

    /** The record's fields, a map of its own to change; empty when the key is unknown. */
    private Map<String, String> read(String key) {
        byte[] bytes = records.get(key);
        return bytes == null ? new HashMap<>() : KvRecordBytes.decode(key, bytes);
    }

    @Override
    public synchronized long increment(String key, String field, long delta) {
        checkOpen();
        Map<String, String> record = read(key);
        long value = parse(key, field, record.get(field)) + delta;
        record.put(field, Long.toString(value));
        records.put(key, KvRecordBytes.encode(record));
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
        return Map.copyOf(read(key));
    }

    @Override
    public synchronized boolean delete(String key) {
        checkOpen();
        boolean existed = records.remove(key) != null;
        store.commit();
        return existed;
    }

    @Override
    public synchronized void addScored(String key, Map<String, Long> scores) {
        checkOpen();
        if (scores.isEmpty()) {
            return;
        }
        long added = 0;
        for (Map.Entry<String, Long> entry : scores.entrySet()) {
            String memberKey = key + '\0' + entry.getKey();
            Long before = scoredMembers.put(memberKey, entry.getValue());
            if (before != null) {
                scoredOrder.remove(orderKey(key, before, entry.getKey()));
            } else {
                added++;
            }
            scoredOrder.put(orderKey(key, entry.getValue(), entry.getKey()), entry.getValue());
        }
        scoredSizes.merge(key, added, Long::sum);
        store.commit();
    }

    @Override
    public OptionalLong score(String key, String member) {
        checkOpen();
        Long score = scoredMembers.get(key + '\0' + member);
        return score == null ? OptionalLong.empty() : OptionalLong.of(score);
    }

    @Override
    public synchronized long trimScored(String key, long minScore, int keep) {
        checkOpen();
        long size = scoredSizes.getOrDefault(key, 0L);
        String prefix = key + '\0';
        List<String> doomed = new ArrayList<>();
        Iterator<String> oldestFirst = scoredOrder.keyIterator(prefix);
        while (oldestFirst.hasNext() && size - doomed.size() > 0) {
            String orderKey = oldestFirst.next();
            if (!orderKey.startsWith(prefix)) {
                break;
            }
            if (scoredOrder.get(orderKey) >= minScore && size - doomed.size() <= keep) {
                break;
            }
            doomed.add(orderKey);
        }
        for (String orderKey : doomed) {
            scoredOrder.remove(orderKey);
            // set key, NUL, 16 hex digits, NUL, member
            scoredMembers.remove(prefix + orderKey.substring(prefix.length() + 17));
        }
        if (!doomed.isEmpty()) {
            scoredSizes.put(key, size - doomed.size());
            store.commit();
        }
        return doomed.size();
    }

    @Override
    public long scoredSize(String key) {
        checkOpen();
        return scoredSizes.getOrDefault(key, 0L);
    }

    @Override
    public synchronized boolean deleteScored(String key) {
        checkOpen();
        boolean existed = scoredSizes.containsKey(key);
        trimScored(key, Long.MAX_VALUE, 0);
        scoredSizes.remove(key);
        store.commit();
        return existed;
    }

    /** Sorts by score as text: the score's bits with the sign flipped, as 16 hex digits. */
    private static String orderKey(String key, long score, String member) {
        return key + '\0' + String.format("%016x", score ^ Long.MIN_VALUE) + '\0' + member;
    }

    /** The store's version, one more for each commit that changed something (tests count commits with it). */
    long version() {
        return store.getCurrentVersion();
    }

    /** The MVStore itself, for tests that break it as a failed write would ({@link MVStore#panic}). */
    MVStore mvStore() {
        return store;
    }

    @Override
    public void ping() {
        checkOpen();
    }

    @Override
    public synchronized void close() {
        if (store.getPanicException() != null) {
            // a write failed (MVStore recorded its "panic"): MVStore's close() would commit again,
            // fail again, and spin forever in H2 2.3 (seen on a full disk); nothing more can be written
            store.closeImmediately();
            return;
        }
        if (!store.isClosed()) {
            store.close();
        }
    }

    /**
     * What broke the store: the error of a write that failed (MVStore records it as its "panic", a
     * full disk say, and refuses every write after it); null while it works or after {@link #close()}.
     * Asked by the stack's {@code StoreFailureWatch}.
     */
    public String brokenBy() {
        MVStoreException panic = store.getPanicException();
        return panic == null ? null : "the embedded KV store at " + file + " is broken by a failed write: "
                + panic.getMessage();
    }

    private void checkOpen() {
        String broken = brokenBy();
        if (broken != null) {
            throw new KvStoreException(broken, store.getPanicException());
        }
        if (store.isClosed()) {
            throw new KvStoreException("the embedded KV store at " + file + " is closed", null);
        }
    }
}

package io.gamewire.capacity.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.rrd4j.ConsolFun;
import org.rrd4j.DsType;
import org.rrd4j.core.Archive;
import org.rrd4j.core.RrdBackendFactory;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.RrdDef;
import org.rrd4j.core.RrdRandomAccessFileBackendFactory;
import org.rrd4j.core.Sample;

/**
 * {@link UsageArchive} on rrd4j: one database per series with the data sources {@value #RATE} and
 * {@value #CONSUMERS} (both GAUGE, heartbeat {@link #HEARTBEAT_SECONDS}, so a sample missing for
 * more than two steps leaves those rows {@code NaN} instead of stretching the last value over them)
 * and an AVERAGE and a MAX archive per {@link UsageArchive.Resolution} (xff 0.5: a row with fewer
 * than half its samples known is {@code NaN}). About 1.5 MB per series, whatever its age.
 *
 * <p>Where the databases live: {@link #files} (the embedded stack: one {@code <series>.rrd} per
 * series in a folder, rrd4j's RandomAccessFile backend, which writes through, so nothing is lost
 * when the process dies) or {@link #sql} (the prod stack: {@link SqlRrdBackendFactory}, tables
 * {@code capacity_archives} and {@code capacity_archive_pages}, readable by every instance).
 *
 * <p>Open databases are kept, one handle per series, until {@link #close()}. On SQL another
 * instance may have written since (the sampler moves when its instance stops), so a kept handle
 * is used only while its version is the stored one, else it is opened again. Updates and reads
 * are serialized on the archive (a read copies at most one archive's rows from memory or one
 * file); the cluster rule (one sampling instance) keeps writers on different instances apart.
 */
public final class RrdUsageArchive implements UsageArchive {

    /** The data source of the message rate. */
    public static final String RATE = "rate";
    /** The data source of the consumer count ({@code NaN} for a command's series). */
    public static final String CONSUMERS = "consumers";
    /** Three steps: one missed sample is bridged, two make the row unknown. */
    public static final long HEARTBEAT_SECONDS = 3 * STEP.toSeconds();

    /**
     * The most rows one fetch returns (8 MB per data source): a range may be longer than the
     * archive keeps (those rows are NaN), not without bound.
     */
    public static final int MAX_FETCH_ROWS = 1_000_000;

    /** A series name: dotted names of letters, digits, {@code -} and {@code _} (also safe as a file name). */
    private static final Pattern SERIES = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+){2,3}");

    private final Storage storage;
    private final Map<String, Handle> open = new ConcurrentHashMap<>();

    /** An open database, and whether it was opened for writing. */
    private record Handle(RrdDb db, boolean writable) {
    }

    private RrdUsageArchive(Storage storage) {
        this.storage = storage;
    }

    /** Databases as files {@code <series>.rrd} in {@code folder}, made if missing. */
    public static RrdUsageArchive files(Path folder) throws IOException {
        Files.createDirectories(folder);
        return new RrdUsageArchive(new FileStorage(folder));
    }

    /** Databases in the tables of {@code V5__capacity.sql}. */
    public static RrdUsageArchive sql(DataSource dataSource) {
        return new RrdUsageArchive(new SqlStorage(new SqlRrdBackendFactory(dataSource)));
    }

    @Override
    public synchronized void update(long epochSecond, Map<String, UsageSample> samples) throws IOException {
        if (epochSecond % STEP.toSeconds() != 0) {
            throw new IllegalArgumentException("a sample's time must be a multiple of " + STEP.toSeconds()
                    + " s, not " + epochSecond);
        }
        for (Map.Entry<String, UsageSample> entry : samples.entrySet()) {
            String series = checked(entry.getKey());
            RrdDb db = handle(series, true, epochSecond);
            if (epochSecond <= db.getLastUpdateTime()) {
                continue;
            }
            Sample sample = db.createSample(epochSecond);
            sample.setValue(RATE, entry.getValue().rate());
            sample.setValue(CONSUMERS, entry.getValue().consumers());
            sample.update();
            storage.flush(db);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the range has more than {@link #MAX_FETCH_ROWS} rows
     */
    @Override
    public synchronized UsageSeries fetch(String series, Resolution resolution, Consolidation consolidation,
                                          long startEpochSecond, long endEpochSecond) throws IOException {
        long step = resolution.seconds();
        long first = Math.floorDiv(startEpochSecond, step) * step;
        long last = Math.floorDiv(endEpochSecond, step) * step;
        long size = last < first ? 0 : (last - first) / step + 1;
        if (size > MAX_FETCH_ROWS) {
            throw new IllegalArgumentException("a fetch of " + size + " rows at " + resolution + "; at most "
                    + MAX_FETCH_ROWS + " (the archive keeps " + resolution.rows() + ")");
        }
        // the handle is used under the lock: an update may reopen it
        RrdDb db = handle(checked(series), false, 0);
        if (db == null) {
            throw new NoSuchElementException("no usage archive for " + series);
        }
        double[] rates = new double[(int) size];
        double[] consumers = new double[(int) size];
        Archive archive = db.getArchive(ConsolFun.valueOf(consolidation.name()), resolution.steps());
        copy(archive, db.getDsIndex(RATE), first, step, rates);
        copy(archive, db.getDsIndex(CONSUMERS), first, step, consumers);
        return new UsageSeries(series, first, step, rates, consumers);
    }

    /** The archive's rows from {@code first} into {@code into}, {@code NaN} outside what it holds. */
    private static void copy(Archive archive, int ds, long first, long step, double[] into) throws IOException {
        long start = archive.getStartTime();
        long end = archive.getEndTime();
        int from = -1;
        int to = -1;
        for (int i = 0; i < into.length; i++) {
            long time = first + i * step;
            if (time >= start && time <= end) {
                from = from < 0 ? i : from;
                to = i;
            } else {
                into[i] = Double.NaN;
            }
        }
        if (from >= 0) {
            int index = Math.toIntExact((first + from * step - start) / step);
            double[] values = archive.getRobin(ds).getValues(index, to - from + 1);
            System.arraycopy(values, 0, into, from, values.length);
        }
    }

    @Override
    public Set<String> series() throws IOException {
        return storage.series();
    }

    @Override
    public synchronized long lastUpdate(String series) throws IOException {
        RrdDb db = handle(checked(series), false, 0);
        return db == null ? 0 : db.getLastUpdateTime();
    }

    /** Closes every open database (on SQL: writes what was not written yet). */
    @Override
    public synchronized void close() throws IOException {
        IOException failed = null;
        for (Handle handle : open.values()) {
            try {
                handle.db().close();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
        }
        open.clear();
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * The open database of a series, opened when needed: read-only unless {@code write}, so that a
     * reading instance never writes a stale copy back. Made (starting one step before
     * {@code startEpochSecond}) when {@code write} and there is none; else {@code null} then.
     */
    private synchronized RrdDb handle(String series, boolean write, long startEpochSecond) throws IOException {
        Handle handle = open.get(series);
        if (handle != null && (handle.writable() || !write) && storage.current(series, handle.db())) {
            return handle.db();
        }
        if (handle != null) {
            open.remove(series);
            handle.db().close();
        }
        RrdDb db;
        RrdBackendFactory factory = storage.factory();
        String path = storage.path(series);
        if (storage.exists(series)) {
            db = RrdDb.getBuilder().setBackendFactory(factory).setPath(path).setReadOnly(!write).build();
        } else if (write) {
            db = RrdDb.getBuilder().setBackendFactory(factory).setRrdDef(definition(path, startEpochSecond)).build();
        } else {
            return null;
        }
        open.put(series, new Handle(db, write));
        return db;
    }

    /** The layout every series' database has. */
    static RrdDef definition(String path, long startEpochSecond) {
        long step = STEP.toSeconds();
        RrdDef def = new RrdDef(path, startEpochSecond - step, step);
        def.addDatasource(RATE, DsType.GAUGE, HEARTBEAT_SECONDS, 0, Double.NaN);
        def.addDatasource(CONSUMERS, DsType.GAUGE, HEARTBEAT_SECONDS, 0, Double.NaN);
        for (ConsolFun function : new ConsolFun[] {ConsolFun.AVERAGE, ConsolFun.MAX}) {
            for (Resolution resolution : Resolution.values()) {
                def.addArchive(function, 0.5, resolution.steps(), resolution.rows());
            }
        }
        return def;
    }

    private static String checked(String series) {
        if (!SERIES.matcher(series).matches()) {
            throw new IllegalArgumentException("'" + series + "' is not a series name (title.env.service[.command])");
        }
        return series;
    }

    /** Where the databases are. */
    private interface Storage {

        RrdBackendFactory factory();

        /** The path of a series' database, for {@link #factory()}. */
        String path(String series);

        boolean exists(String series) throws IOException;

        Set<String> series() throws IOException;

        /** Whether an open database still holds what is stored (another instance may have written). */
        boolean current(String series, RrdDb db) throws IOException;

        /** Makes an update durable and visible to other readers. */
        void flush(RrdDb db) throws IOException;
    }

    private record FileStorage(Path folder) implements Storage {

        private static final String SUFFIX = ".rrd";
        private static final RrdBackendFactory FACTORY = new RrdRandomAccessFileBackendFactory();

        @Override
        public RrdBackendFactory factory() {
            return FACTORY;
        }

        @Override
        public String path(String series) {
            return folder.resolve(series + SUFFIX).toAbsolutePath().toString();
        }

        @Override
        public boolean exists(String series) {
            return Files.isRegularFile(Path.of(path(series)));
        }

        @Override
        public Set<String> series() throws IOException {
            try (Stream<Path> files = Files.list(folder)) {
                Set<String> series = new TreeSet<>();
                files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(SUFFIX))
                        .forEach(name -> series.add(name.substring(0, name.length() - SUFFIX.length())));
                return series;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        /** Only this process writes the folder. */
        @Override
        public boolean current(String series, RrdDb db) {
            return true;
        }

        /** The RandomAccessFile backend writes through. */
        @Override
        public void flush(RrdDb db) {
        }
    }

    private record SqlStorage(SqlRrdBackendFactory factory) implements Storage {

        @Override
        public String path(String series) {
            return "/" + series;
        }

        @Override
        public boolean exists(String series) throws IOException {
            return factory.version(series) != 0;
        }

        @Override
        public Set<String> series() throws IOException {
            return factory.series();
        }

        @Override
        public boolean current(String series, RrdDb db) throws IOException {
            return backend(db).version() == factory.version(series);
        }

        @Override
        public void flush(RrdDb db) throws IOException {
            backend(db).flush();
        }

        private static SqlRrdBackendFactory.SqlRrdBackend backend(RrdDb db) {
            return (SqlRrdBackendFactory.SqlRrdBackend) db.getRrdBackend();
        }
    }
}

package io.gamewire.capacity.archive;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.rrd4j.core.RrdBackend;
import org.rrd4j.core.RrdBackendAnnotation;
import org.rrd4j.core.RrdBackendFactory;
import org.rrd4j.core.RrdByteArrayBackend;

/**
 * rrd4j databases in gamewire's SQL database, so that every instance can read what the sampling
 * instance wrote (the prod stack, {@code gamewire.capacity.archive=sql}). Modelled on rrd4j's
 * {@code RrdMongoDBNewBackendFactory}: a database's bytes are loaded whole when it is opened and
 * written back by {@link SqlRrdBackend#flush()} and on close.
 *
 * <p>The bytes are kept as pages of {@link #PAGE_BYTES} in {@code capacity_archive_pages}, and only
 * the pages a write touched go back: a series' database is about 1.5 MB, one sample changes a few
 * kB. {@code capacity_archives} holds its size and a version bumped by each write, which
 * {@link #version(String)} reads so that a handle kept open can be checked for being current.
 * The path rrd4j hands the factory is {@code /<series>}.
 */
@RrdBackendAnnotation(name = "GWSQL", shouldValidateHeader = false)
public final class SqlRrdBackendFactory extends RrdBackendFactory {

    /** The size of a stored page. */
    static final int PAGE_BYTES = 4096;

    private final DataSource dataSource;

    public SqlRrdBackendFactory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The series a path names. */
    static String seriesOf(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    protected RrdBackend open(String path, boolean readOnly) throws IOException {
        String series = seriesOf(path);
        try (Connection connection = dataSource.getConnection()) {
            long version = 0;
            byte[] bytes = null;
            try (PreparedStatement head = connection.prepareStatement(
                    "SELECT size_bytes, version FROM capacity_archives WHERE series = ?")) {
                head.setString(1, series);
                try (ResultSet row = head.executeQuery()) {
                    if (row.next()) {
                        bytes = new byte[row.getInt(1)];
                        version = row.getLong(2);
                    }
                }
            }
            if (bytes != null) {
                try (PreparedStatement pages = connection.prepareStatement(
                        "SELECT page_no, bytes FROM capacity_archive_pages WHERE series = ?")) {
                    pages.setString(1, series);
                    try (ResultSet row = pages.executeQuery()) {
                        while (row.next()) {
                            byte[] page = row.getBytes(2);
                            int at = row.getInt(1) * PAGE_BYTES;
                            System.arraycopy(page, 0, bytes, at, Math.min(page.length, bytes.length - at));
                        }
                    }
                }
            }
            return new SqlRrdBackend(path, series, bytes, version, readOnly);
        } catch (SQLException e) {
            throw new IOException("cannot read the usage archive of " + series + ": " + e.getMessage(), e);
        }
    }

    /** Any path of this factory's scheme: the series' name is checked by the archive. */
    @Override
    public boolean canStore(URI uri) {
        return resolve(getRootUri(), uri, false) != null;
    }

    @Override
    protected boolean exists(String path) throws IOException {
        return version(seriesOf(path)) != 0;
    }

    /** The stored version of a series' database, 0 when it has none. */
    long version(String series) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT version FROM capacity_archives WHERE series = ?")) {
            select.setString(1, series);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the usage archives: " + e.getMessage(), e);
        }
    }

    /** The series that have a database. */
    Set<String> series() throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT series FROM capacity_archives ORDER BY series");
             ResultSet rows = select.executeQuery()) {
            Set<String> series = new LinkedHashSet<>();
            while (rows.next()) {
                series.add(rows.getString(1));
            }
            return series;
        } catch (SQLException e) {
            throw new IOException("cannot read the usage archives: " + e.getMessage(), e);
        }
    }

    /** Writes the dirty pages and the new version in one transaction. */
    private void writePages(String series, byte[] bytes, BitSet dirty, long version) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement head = connection.prepareStatement(
                    "INSERT INTO capacity_archives (series, size_bytes, version, updated_at_ms) VALUES (?, ?, ?, ?)"
                            + " ON DUPLICATE KEY UPDATE size_bytes = VALUES(size_bytes), version = VALUES(version),"
                            + " updated_at_ms = VALUES(updated_at_ms)");
                 PreparedStatement page = connection.prepareStatement(
                         "INSERT INTO capacity_archive_pages (series, page_no, bytes) VALUES (?, ?, ?)"
                                 + " ON DUPLICATE KEY UPDATE bytes = VALUES(bytes)")) {
                head.setString(1, series);
                head.setInt(2, bytes.length);
                head.setLong(3, version);
                head.setLong(4, System.currentTimeMillis());
                head.executeUpdate();
                for (int no = dirty.nextSetBit(0); no >= 0; no = dirty.nextSetBit(no + 1)) {
                    int from = no * PAGE_BYTES;
                    if (from >= bytes.length) {
                        break;
                    }
                    byte[] content = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + PAGE_BYTES));
                    page.setString(1, series);
                    page.setInt(2, no);
                    page.setBytes(3, content);
                    page.addBatch();
                }
                page.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the usage archive of " + series + ": " + e.getMessage(), e);
        }
    }

    /**
     * One database's bytes in memory, the pages written since the last flush marked dirty. Every
     * write method of rrd4j's byte-buffer backend is overridden only to mark its range.
     */
    final class SqlRrdBackend extends RrdByteArrayBackend {

        private final String series;
        private final boolean readOnly;
        private final BitSet dirty = new BitSet();
        private long version;

        SqlRrdBackend(String path, String series, byte[] bytes, long version, boolean readOnly) {
            super(path);
            this.series = series;
            this.version = version;
            this.readOnly = readOnly;
            if (bytes != null) {
                setBuffer(bytes);
            }
        }

        /** The version this copy was loaded or last written as. */
        long version() {
            return version;
        }

        /** Writes the pages changed since the last flush, if any, under a new version. */
        synchronized void flush() throws IOException {
            if (readOnly || dirty.isEmpty()) {
                return;
            }
            long next = Math.max(version + 1, System.currentTimeMillis());
            writePages(series, getBuffer(), dirty, next);
            version = next;
            dirty.clear();
        }

        private void mark(long offset, long length) {
            dirty.set((int) (offset / PAGE_BYTES), (int) ((offset + Math.max(length, 1) - 1) / PAGE_BYTES) + 1);
        }

        @Override
        protected void setLength(long length) {
            super.setLength(length);
            mark(0, length);
        }

        @Override
        protected synchronized void write(long offset, byte[] bytes) throws IOException {
            super.write(offset, bytes);
            mark(offset, bytes.length);
        }

        @Override
        protected void writeShort(long offset, short value) throws IOException {
            super.writeShort(offset, value);
            mark(offset, Short.BYTES);
        }

        @Override
        protected void writeInt(long offset, int value) throws IOException {
            super.writeInt(offset, value);
            mark(offset, Integer.BYTES);
        }

        @Override
        protected void writeLong(long offset, long value) throws IOException {
            super.writeLong(offset, value);
            mark(offset, Long.BYTES);
        }

        @Override
        protected void writeDouble(long offset, double value) throws IOException {
            super.writeDouble(offset, value);
            mark(offset, Double.BYTES);
        }

        @Override
        protected void writeDouble(long offset, double value, int count) throws IOException {
            super.writeDouble(offset, value, count);
            mark(offset, (long) Double.BYTES * count);
        }

        @Override
        protected void writeDouble(long offset, double[] values) throws IOException {
            super.writeDouble(offset, values);
            mark(offset, (long) Double.BYTES * values.length);
        }

        @Override
        protected void writeString(long offset, String value, int length) throws IOException {
            super.writeString(offset, value, length);
            // rrd4j writes a string as chars; marking twice that covers any encoding it may use
            mark(offset, 4L * length);
        }

        @Override
        protected void close() throws IOException {
            flush();
        }
    }
}

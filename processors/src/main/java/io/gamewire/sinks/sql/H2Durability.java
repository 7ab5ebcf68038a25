package io.gamewire.sinks.sql;

/**
 * Makes an H2 file database write each commit to its file before the commit returns.
 *
 * <p>H2 keeps committed changes in memory for up to {@code WRITE_DELAY} (500 ms by default) and
 * writes them in the background. The sinks acknowledge a batch to the broker once its commit
 * returns, so a commit still in memory when the process dies, or when the disk is full and the
 * background write fails, is an acknowledged event lost: a full disk lost 302 that way in the
 * fault suite (docs/RELIABILITY.md). With a delay of 0 the committing thread writes, and a write
 * that fails fails the commit, so the batch is not acknowledged and comes back after a restart.
 * (The write is not fsynced: a power loss or an OS crash may still lose the last commits.)
 *
 * <p>Run on every connection of gamewire's own pool ({@link #INIT_SQL}), not once: H2 sets the
 * delay from the URL (500 when it names none) each time it opens the database, which it does
 * again after its last connection closes. Not in the URL: the SQL console connects with the same
 * URL as a user without admin rights, which may not change settings.
 */
public final class H2Durability {

    /** What each connection of gamewire's pool runs first on an H2 file database; needs an admin user (gamewire's own). */
    public static final String INIT_SQL = "SET WRITE_DELAY 0";

    private H2Durability() {
    }

    /** The statement each new connection runs first: {@link #INIT_SQL} for an H2 file database, else null. */
    public static String connectionInitSql(String jdbcUrl) {
        return H2DatabaseCheck.isH2File(jdbcUrl) ? INIT_SQL : null;
    }
}

package io.gamewire.stack;

import io.gamewire.config.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the embedded broker keeps queues and persistent messages ({@code gamewire.broker.embedded.store}),
 * each store in a folder of its own under {@code <data-dir>/broker}, so the folders themselves record
 * which store a data dir holds:
 *
 * <ul>
 *   <li>{@link #BDB}: Qpid's Berkeley DB JE store in {@code broker/bdb}, the default. A confirm is
 *       sent once the message's transaction is on disk: JE commits without sync, and one thread
 *       then writes and fsyncs the log for every transaction committed meanwhile (group commit).
 *   <li>{@link #DERBY}: Qpid's Derby store in {@code broker/default}, the store before BDB (the
 *       folder keeps the name it had then). One fsync per transaction, and 17 times the CPU per message: about 14x slower here.
 * </ul>
 *
 * <p>{@code auto} (the default) keeps using the store a data dir already holds (a data dir from
 * before BDB stays on Derby, with a warning) and makes a BDB store in a new one. A store named
 * explicitly while the data dir holds the other one is a start-up error naming that folder: its
 * queued messages would otherwise be left behind unseen.
 */
public enum EmbeddedStore {

    BDB("BDB", "bdb"),
    DERBY("DERBY", "default");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStore.class);

    /** The property that chooses the store. */
    public static final String PROPERTY = "gamewire.broker.embedded.store";

    private final String nodeType;
    private final String folder;

    EmbeddedStore(String nodeType, String folder) {
        this.nodeType = nodeType;
        this.folder = folder;
    }

    /** The type of Qpid's virtual host node that keeps this store. */
    String nodeType() {
        return nodeType;
    }

    /** This store's folder under the broker's work dir. */
    public Path path(Path brokerDir) {
        return brokerDir.resolve(folder);
    }

    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The store to open in {@code brokerDir} for the setting {@code auto}, {@code bdb} or {@code derby}.
     *
     * @throws StartupException for another value, or when the setting names one store while the
     *     folder holds the other one
     */
    public static EmbeddedStore choose(String setting, Path brokerDir) {
        String value = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        boolean bdb = holdsStore(BDB.path(brokerDir));
        boolean derby = holdsStore(DERBY.path(brokerDir));
        EmbeddedStore chosen = switch (value) {
            case "auto", "" -> {
                if (bdb && derby) {
                    throw new StartupException(brokerDir + " holds both a BDB store (bdb/) and a Derby store"
                            + " (default/), and the queued messages of the one not opened would not be seen: move one"
                            + " folder out of it (to drain that store's queues, start gamewire on it alone), then"
                            + " delete it once drained");
                }
                if (derby) {
                    LOG.warn("The embedded broker keeps using the Derby store in {} (about 14x slower than BDB, the"
                            + " default for new data dirs): to move to BDB, drain the queues, stop, delete that folder"
                            + " and start again; {}=derby silences this", DERBY.path(brokerDir), PROPERTY);
                }
                yield derby ? DERBY : BDB;
            }
            case "bdb" -> BDB;
            case "derby" -> DERBY;
            default -> throw new StartupException("property " + PROPERTY + " must be auto, bdb or derby, was '" + setting + "'");
        };
        EmbeddedStore other = chosen == BDB ? DERBY : BDB;
        if (!"auto".equals(value) && !value.isEmpty() && holdsStore(other.path(brokerDir))) {
            throw new StartupException(PROPERTY + " is " + value + ", but " + other.path(brokerDir) + " holds a "
                    + other.settingValue() + " store whose queued messages would not be seen: set " + PROPERTY + "="
                    + other.settingValue() + " (or auto) to keep using it, or drain its queues, stop, and delete that folder");
        }
        return chosen;
    }

    private static boolean holdsStore(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new StartupException("cannot read the embedded broker's store folder " + folder + ": " + e.getMessage(), e);
        }
    }
}

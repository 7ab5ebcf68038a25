package io.gamewire.stack;

import io.gamewire.config.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fails the start early, and clearly, when the disk of the data folder has too little room for the
 * stores kept there (the embedded broker's store, an H2 database, the KV file): they would break at
 * their first writes, and a start on a full disk used to end in a bare "No space left on device".
 * A supervisor that restarts gamewire after a full disk ({@code StoreFailureWatch}) sees this
 * message until space is freed.
 */
final class DataFolderRoom {

    static final String SETTING = "gamewire.data-dir.min-free-mb";

    private DataFolderRoom() {
    }

    /**
     * @param minFreeMb the room the stores need to start, in MB ({@value #SETTING}); 0 checks nothing
     * @throws StartupException naming the folder, its free space and the setting
     */
    static void require(Path dataDir, long minFreeMb) {
        if (minFreeMb == 0) {
            return;
        }
        long freeMb;
        try {
            Files.createDirectories(dataDir);
            freeMb = Files.getFileStore(dataDir).getUsableSpace() / (1024 * 1024);
        } catch (IOException e) {
            throw new StartupException("the data folder " + dataDir.toAbsolutePath() + " (gamewire.data-dir) cannot be"
                    + " used: " + e, e);
        }
        if (freeMb < minFreeMb) {
            throw new StartupException("the data folder " + dataDir.toAbsolutePath() + " (gamewire.data-dir) has "
                    + freeMb + " MB free on its disk, less than the " + minFreeMb + " MB its stores need to start ("
                    + SETTING + "): free some space on that disk");
        }
    }
}

package io.gamewire.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small file system for a test to fill: a tmpfs of {@code gamewire.faults.small-disk-mb} MB
 * (512) mounted at {@code gamewire.faults.small-disk} ({@code <tmp>/gamewire-small-disk}). A tmpfs
 * already mounted there is used as it is; otherwise the test mounts one (which takes root, as
 * {@code .ci/run} has) and unmounts it at {@link #close()}, or when the JVM ends. {@link #fill()}
 * writes a file until the disk refuses more; {@link #free()} deletes it.
 */
final class SmallDisk implements AutoCloseable {

    private static final int SIZE_MB = Integer.getInteger("gamewire.faults.small-disk-mb", 512);
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

    private final Path path;
    private final Path filler;
    private final Thread unmountOnExit;

    private SmallDisk(Path path, boolean mountedHere) {
        this.path = path;
        this.filler = path.resolve("filler");
        this.unmountOnExit = mountedHere ? new Thread(this::unmountQuietly, "small-disk-unmount-on-exit") : null;
        if (unmountOnExit != null) {
            Runtime.getRuntime().addShutdownHook(unmountOnExit);
        }
    }

    /** The small disk, mounted now unless a tmpfs is mounted there already; emptied of an earlier run's filler. */
    static SmallDisk mount() throws IOException, InterruptedException {
        Path path = Path.of(System.getProperty("gamewire.faults.small-disk",
                Path.of(System.getProperty("java.io.tmpdir"), "gamewire-small-disk").toString()));
        Files.createDirectories(path);
        boolean mounted = isOwnTmpfs(path);
        if (!mounted) {
            try {
                Commands.run(COMMAND_LIMIT, List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE_MB + "m", "tmpfs",
                        path.toString()));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + ": the disk-full scenario needs a small file system;"
                        + " run it as root, or mount one first (mount -t tmpfs -o size=" + SIZE_MB + "m tmpfs <dir>)"
                        + " and pass -Dgamewire.faults.small-disk=<dir>", e);
            }
            if (!isOwnTmpfs(path)) {
                throw new IllegalStateException(path + " was mounted, but is not a tmpfs of its own");
            }
        }
        SmallDisk disk = new SmallDisk(path, !mounted);
        disk.free();
        return disk;
    }

    /**
     * Whether {@code path} is a tmpfs mounted there (not a folder of another file system, which
     * filling would fill for everyone), of about the size asked for.
     */
    private static boolean isOwnTmpfs(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        return "tmpfs".equals(store.type()) && !store.equals(Files.getFileStore(path.toAbsolutePath().getParent()))
                && store.getTotalSpace() <= 2L * SIZE_MB * 1024 * 1024;
    }

    int sizeMb() {
        return SIZE_MB;
    }

    Path path() {
        return path;
    }

    /** Fills the disk: a file of what space is left, written until the file system refuses a write. */
    void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (path.toFile().getUsableSpace() > block.length) {
                throw new IOException("filling " + path + " stopped with space left", full);
            }
        }
    }

    /** Frees what {@link #fill()} took. */
    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws Exception {
        free();
        if (unmountOnExit != null) {
            Runtime.getRuntime().removeShutdownHook(unmountOnExit);
            unmount();
        }
    }

    /**
     * Unmounts the disk; lazily when it is busy: a broker whose store broke on the full disk may
     * still hold files on it until the JVM ends.
     */
    private void unmount() throws IOException, InterruptedException {
        try {
            Commands.run(COMMAND_LIMIT, List.of("umount", path.toString()));
        } catch (IllegalStateException busy) {
            Commands.run(COMMAND_LIMIT, List.of("umount", "-l", path.toString()));
        }
    }

    private void unmountQuietly() {
        try {
            free();
            unmount();
        } catch (Exception e) {
            System.err.println(path + " is left mounted: umount it (" + e.getMessage() + ")");
        }
    }
}

package io.gamewire.it;

/**
 * How a server the test started is stopped: by {@link #close()}, or by a JVM shutdown hook when the
 * run is cut short before that (an interrupted build, a test JVM that exits), so that no server of
 * a run outlives it.
 */
final class StopAtExit implements AutoCloseable {

    private final Runnable stop;
    private final Thread hook;

    StopAtExit(String name, Runnable stop) {
        this.stop = stop;
        this.hook = new Thread(stop, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs too (stopping twice is harmless)
        }
    }

    /**
     * Ends a server the test started: SIGTERM, up to {@code graceSeconds} for it to stop cleanly,
     * then SIGKILL; then deletes its folder (left behind if that fails).
     */
    static void endThenDelete(Process server, int graceSeconds, java.nio.file.Path dir) {
        server.destroy();
        try {
            if (!server.waitFor(graceSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            GamewireUnderTest.deleteTree(dir);
        } catch (java.io.IOException e) {
            // a temporary folder left behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

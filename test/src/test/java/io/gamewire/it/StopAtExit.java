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
}

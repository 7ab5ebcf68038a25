package io.gamewire.bench.load;

/** One worker's way of sending: one TCP connection, or one stream of HTTP requests. */
interface Sender extends AutoCloseable {

    /**
     * Sends one request (one event, or one batch) that was due at {@code dueNanos}, and arranges for
     * its outcome to be recorded in the measurement. May block: on a full TCP window, or for the HTTP
     * answer.
     */
    void send(long dueNanos) throws InterruptedException;

    /** Events per {@link #send}; the pacer divides the target event rate by it. */
    int eventsPerSend();

    @Override
    void close();
}

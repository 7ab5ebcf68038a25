package io.gamewire;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an orderly stop of the running gamewire, instead of the
 * JVM's own shutdown. The JVM would run every shutdown hook at once: H2's closes the database and
 * the embedded broker's closes its connections while Camel is still stopping the consumers and
 * flushing the last batches ("Database is already closed", a hundred lines of stack traces), and
 * the process would exit 143. Handled here, the signal only asks Camel Main to complete: Camel
 * stops in its order (stop accepting, answer what is in flight, stop the consumers, flush the
 * batches, close the stores, stop the broker, within {@code camel.main.shutdown-timeout}), the run
 * returns, and the process exits 0; the JVM's hooks then find nothing left to close.
 *
 * <p>{@code sun.misc.Signal} is in the JDK's {@code jdk.unsupported} module, open to every
 * application on the class path and kept for exactly this use.
 */
final class StopOnSignal {

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private StopOnSignal() {
    }

    /** From now on TERM and INT call {@code stop} once; a repeated signal is logged, the stop goes on. */
    static void install(Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                handle(name, stopping, stop);
            } catch (IllegalArgumentException e) {
                // the JVM keeps the signal (-Xrs, or an OS that has no such signal): Camel Main's own
                // shutdown hook still stops gamewire, only not before the JVM's other hooks
                LOG.warn("SIG{} is left to the JVM's shutdown: {}", name, e.getMessage());
            }
        }
    }

    private static void handle(String name, AtomicBoolean stopping, Runnable stop) {
        Signal.handle(new Signal(name), signal -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("SIG{} received: stopping (in-flight work is finished first)", signal.getName());
                stop.run();
            } else {
                LOG.info("SIG{} received again: already stopping, within camel.main.shutdown-timeout",
                        signal.getName());
            }
        });
    }
}

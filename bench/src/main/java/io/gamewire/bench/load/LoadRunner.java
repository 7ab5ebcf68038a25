package io.gamewire.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one thread per sender for the warm-up and then the measured duration, each pacing its sends
 * to its share of the target rate, and returns what was counted in the measured part.
 */
final class LoadRunner {

    /** How long senders blocked on a full window or a slow answer get to notice the end. */
    private static final long JOIN_MILLIS = 10_000;

    private volatile boolean running = true;

    Measurement.Result run(LoadSettings settings, List<? extends Sender> senders, Measurement measurement)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders.size(); i++) {
            Sender sender = senders.get(i);
            Pacer pacer = settings.paced()
                    ? Pacer.perSecond(settings.targetRate() / senders.size() / sender.eventsPerSend())
                    : Pacer.unpaced();
            Thread thread = new Thread(() -> sendUntilStopped(sender, pacer, measurement), "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        TimeUnit.MILLISECONDS.sleep(settings.warmup().toMillis());
        measurement.start();
        if (settings.timeline() == null) {
            TimeUnit.MILLISECONDS.sleep(settings.duration().toMillis());
        } else {
            Timeline.write(settings.timeline(), measurement, settings.duration());
        }
        Measurement.Result result = measurement.stop();
        running = false;
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        for (Thread thread : threads) {
            thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            thread.interrupt(); // still blocked: closing its sender will release it
        }
        return result;
    }

    private void sendUntilStopped(Sender sender, Pacer pacer, Measurement measurement) {
        try {
            while (running) {
                sender.send(pacer.awaitNext());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a sender that cannot go on (e.g. its client was closed by the server): count it, keep
            // the other workers going, and let the report show it
            measurement.refused("sender stopped: " + FailureKinds.of(e), sender.eventsPerSend());
            System.err.println("load: " + Thread.currentThread().getName() + " stopped: " + e);
        }
    }
}

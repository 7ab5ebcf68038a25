package io.gamewire.capacity.sim;

/**
 * Spring AMQP's {@code SimpleMessageListenerContainer} between {@code concurrentConsumers} and
 * {@code maxConcurrentConsumers}, with its defaults, in the granularity of a second: a consumer whose
 * receive gets a message {@code consecutiveActiveTrigger} (10) times in a row asks for one more
 * consumer, granted at most once per {@code startConsumerMinInterval} (10 s); a consumer whose
 * receive times out ({@code receiveTimeout} 1 s) {@code consecutiveIdleTrigger} (10) times in a row
 * asks to stop, granted at most once per {@code stopConsumerMinInterval} (60 s). A consumer that has
 * a message within every second counts as active, so any steady traffic, even one a consumer could
 * carry alone, takes the container to its maximum; it comes down only after ten seconds without a
 * message for some consumer (per-consumer traffic below one message a second).
 */
final class SpringReactiveScaler implements ServiceScaler {

    private static final int ACTIVE_TRIGGER_SECONDS = 1;
    private static final int IDLE_TRIGGER_SECONDS = 10;
    private static final int START_INTERVAL = 10;
    private static final int STOP_INTERVAL = 60;

    private final int min;
    private final int max;
    private long lastStart = Long.MIN_VALUE / 2;
    private long lastStop = Long.MIN_VALUE / 2;
    private int activeSeconds;
    private int idleSeconds;

    SpringReactiveScaler(int min, int max) {
        this.min = min;
        this.max = max;
    }

    @Override
    public int consumers(long second, double arrived, double backlog, int running) {
        // a consumer gets a message in this second when the queue holds at least one for each
        double perConsumer = (arrived + backlog) / running;
        if (perConsumer >= 1) {
            activeSeconds++;
            idleSeconds = 0;
        } else {
            idleSeconds++;
            activeSeconds = 0;
        }
        if (activeSeconds >= ACTIVE_TRIGGER_SECONDS && running < max && second - lastStart >= START_INTERVAL) {
            lastStart = second;
            return running + 1;
        }
        if (idleSeconds >= IDLE_TRIGGER_SECONDS && running > min && second - lastStop >= STOP_INTERVAL) {
            lastStop = second;
            idleSeconds = 0;
            return running - 1;
        }
        return running;
    }

    @Override
    public String name() {
        return "reactive (Spring SMLC)";
    }
}

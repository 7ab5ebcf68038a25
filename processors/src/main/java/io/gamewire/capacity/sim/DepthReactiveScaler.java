package io.gamewire.capacity.sim;

/**
 * Scaling on queue depth, as an autoscaler watching the queue does: every {@code period} seconds it
 * sets the consumers the last period's arrival rate needs plus what drains the backlog within one
 * period, up at once, down by one a period at most; within min and max.
 */
final class DepthReactiveScaler implements ServiceScaler {

    private final int min;
    private final int max;
    private final int period;
    private final double consumerRate;
    private double arrivedInPeriod;

    DepthReactiveScaler(int min, int max, int period, double consumerRate) {
        this.min = min;
        this.max = max;
        this.period = period;
        this.consumerRate = consumerRate;
    }

    @Override
    public int consumers(long second, double arrived, double backlog, int running) {
        arrivedInPeriod += arrived;
        if ((second + 1) % period != 0) {
            return running;
        }
        double rate = arrivedInPeriod / period + backlog / period;
        arrivedInPeriod = 0;
        int needed = Math.max(min, Math.min(max, (int) Math.ceil(rate / consumerRate)));
        return needed >= running ? needed : running - 1;
    }

    @Override
    public String name() {
        return "reactive (queue depth, every " + period + " s)";
    }
}

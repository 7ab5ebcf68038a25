package io.gamewire.capacity.sim;

import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.SyntheticTrace;
import io.gamewire.capacity.plan.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * One service queue, second by second, over the evaluated days of a synthetic trace at a one-minute
 * step: messages arrive at the trace's rate, each running consumer takes {@code consumerRate} a
 * second, the rest waits in the queue. The same trace runs under each way of scaling: the forecast
 * ({@link ForecastScaler}, trained on the trace's first days), Spring's listener container
 * ({@link SpringReactiveScaler}) and an autoscaler on queue depth ({@link DepthReactiveScaler}).
 * A consumer asked for starts taking messages {@code startupSeconds} later (a new instance, a cold
 * connection); one stopped stops at once.
 */
public final class ScalingSimulation {

    private static final int MINUTE = 60;

    private ScalingSimulation() {
    }

    /**
     * @param consumerRate   messages a second one consumer takes
     * @param min            consumers at least ({@code consumers.min})
     * @param max            consumers at most ({@code consumers.max})
     * @param lead           the forecast's lead
     * @param coolDown       the forecast's cool-down before scaling down
     * @param trainingDays   days of the trace the forecast learns from before the simulation starts
     * @param startupSeconds how long a consumer asked for takes to start
     * @param depthPeriod    how often the queue-depth autoscaler looks, seconds
     */
    public record Settings(double consumerRate, int min, int max, Duration lead, Duration coolDown, int trainingDays,
            int startupSeconds, int depthPeriod) {

        /** 25 msg/s a consumer, 1 to 10 consumers, lead 5 min, cool-down 15 min, 7 days of training. */
        public static Settings defaults() {
            return new Settings(25, 1, 10, Duration.ofMinutes(5), Duration.ofMinutes(15), 7, 0, 30);
        }

        public Settings withStartupSeconds(int seconds) {
            return new Settings(consumerRate, min, max, lead, coolDown, trainingDays, seconds, depthPeriod);
        }
    }

    /** The three ways of scaling over the same trace, the forecast first. */
    public static List<SimulationResult> compare(SyntheticTrace trace, Settings settings) {
        if (trace.settings().step().toSeconds() != MINUTE) {
            throw new IllegalArgumentException("the trace's step must be one minute, was " + trace.settings().step());
        }
        int training = settings.trainingDays() * trace.stepsPerDay();
        if (training + trace.stepsPerDay() > trace.rates().length) {
            throw new IllegalArgumentException("the trace must be longer than the " + settings.trainingDays()
                    + " training days by at least one day");
        }
        double[] history = Arrays.copyOf(trace.rates(), training);
        double[] evaluated = Arrays.copyOfRange(trace.rates(), training, trace.rates().length);
        HoltWintersParameters parameters = HoltWintersParameters.daily(Duration.ofMinutes(1));
        ScalingPolicy policy = new ScalingPolicy(settings.min(), settings.max(), settings.lead(), settings.coolDown());
        return List.of(
                run(evaluated, settings, new ForecastScaler(parameters, history, policy, settings.consumerRate())),
                run(evaluated, settings, new SpringReactiveScaler(settings.min(), settings.max())),
                run(evaluated, settings, new DepthReactiveScaler(settings.min(), settings.max(), settings.depthPeriod(),
                        settings.consumerRate())));
    }

    /** Runs one way of scaling over per-minute rates. */
    static SimulationResult run(double[] ratesPerMinute, Settings settings, ServiceScaler scaler) {
        int minutes = ratesPerMinute.length;
        double[] consumersPerMinute = new double[minutes];
        double[] backlogPerMinute = new double[minutes];
        ArrayDeque<long[]> starting = new ArrayDeque<>(); // {second it starts, count}
        // every way of scaling starts with the consumers the first minute needs, as after a quiet while
        int asked = Math.max(settings.min(), Math.min(settings.max(),
                (int) Math.ceil(ratesPerMinute[0] / settings.consumerRate())));
        int effective = asked;
        double backlog = 0;
        double peakBacklog = 0;
        long peakAt = 0;
        long drainedAfterPeak = -1;
        double consumerSeconds = 0;
        long secondsBehind = 0;
        for (long second = 0; second < (long) minutes * MINUTE; second++) {
            while (!starting.isEmpty() && starting.peekFirst()[0] <= second) {
                effective += (int) starting.pollFirst()[1];
            }
            int minute = (int) (second / MINUTE);
            double arrived = ratesPerMinute[minute];
            backlog = Math.max(0, backlog + arrived - effective * settings.consumerRate());
            consumerSeconds += effective;
            if (backlog > settings.consumerRate()) {
                secondsBehind++;
            }
            if (backlog > peakBacklog) {
                peakBacklog = backlog;
                peakAt = second;
                drainedAfterPeak = -1;
            } else if (drainedAfterPeak < 0 && backlog == 0) {
                drainedAfterPeak = second;
            }
            consumersPerMinute[minute] = Math.max(consumersPerMinute[minute], effective);
            backlogPerMinute[minute] = Math.max(backlogPerMinute[minute], backlog);
            int next = scaler.consumers(second, arrived, backlog, asked);
            if (next > asked) {
                starting.addLast(new long[] {second + 1 + settings.startupSeconds(), next - asked});
            } else if (next < asked) {
                // a stop takes effect at once, first on the consumers still starting
                int excess = asked - next;
                while (excess > 0 && !starting.isEmpty()) {
                    long[] last = starting.peekLast();
                    int dropped = (int) Math.min(excess, last[1]);
                    last[1] -= dropped;
                    excess -= dropped;
                    if (last[1] == 0) {
                        starting.pollLast();
                    }
                }
                effective -= excess;
            }
            asked = next;
        }
        long drain = peakBacklog == 0 ? 0 : (drainedAfterPeak < 0 ? (long) minutes * MINUTE : drainedAfterPeak) - peakAt;
        return new SimulationResult(scaler.name(), peakBacklog, peakBacklog == 0 ? 0 : drain, secondsBehind,
                consumerSeconds / 3600, ratesPerMinute.clone(), consumersPerMinute, backlogPerMinute);
    }
}

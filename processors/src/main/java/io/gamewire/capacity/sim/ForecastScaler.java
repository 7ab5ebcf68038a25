package io.gamewire.capacity.sim;

import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.HoltWintersState;
import io.gamewire.capacity.plan.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * The planner's rule in the simulation: the Holt-Winters forecast on one-minute rates (trained on
 * the days before the simulation, then fed each simulated minute), and every
 * {@value #LOOK} s the {@link ScalingPolicy} on the {@linkplain ScalingPolicy#demand demand}: the
 * highest upper band between now and now + lead, or the rate of the last {@value #LOOK} s and the
 * backlog when more waits than the forecast foresaw.
 */
final class ForecastScaler implements ServiceScaler {

    private static final int MINUTE = 60;
    private static final int LOOK = 30;

    private final HoltWintersState forecast;
    private final ScalingPolicy policy;
    private final double consumerRate;
    private final int leadSteps;
    private double arrivedThisMinute;
    private double arrivedThisLook;
    private double upper = Double.NaN;

    ForecastScaler(HoltWintersParameters parameters, double[] history, ScalingPolicy policy, double consumerRate) {
        this.forecast = new HoltWintersState(parameters);
        for (double rate : history) {
            forecast.update(rate);
        }
        this.policy = policy;
        this.consumerRate = consumerRate;
        this.leadSteps = Math.max(1, Math.toIntExact(policy.lead().toMinutes()));
    }

    @Override
    public int consumers(long second, double arrived, double backlog, int running) {
        arrivedThisMinute += arrived;
        arrivedThisLook += arrived;
        if ((second + 1) % MINUTE == 0) {
            forecast.update(arrivedThisMinute / MINUTE);
            arrivedThisMinute = 0;
            upper = highestUpperBand(forecast, leadSteps);
        }
        if ((second + 1) % LOOK != 0) {
            return running;
        }
        double demand = ScalingPolicy.demand(upper, arrivedThisLook / LOOK, backlog, running, consumerRate);
        arrivedThisLook = 0;
        return policy.decide(Instant.EPOCH.plus(Duration.ofSeconds(second + 1)), running, demand, consumerRate)
                .consumers();
    }

    /** The highest upper band of the next {@code steps} steps; NaN while the forecast has no band. */
    static double highestUpperBand(HoltWintersState forecast, int steps) {
        double highest = Double.NaN;
        for (int ahead = 1; ahead <= steps; ahead++) {
            double band = forecast.upperBand(ahead);
            highest = Double.isNaN(highest) ? band : Math.max(highest, band);
        }
        return highest;
    }

    @Override
    public String name() {
        return "forecast (Holt-Winters, lead " + policy.lead().toMinutes() + " min) + backlog";
    }
}

package io.gamewire.capacity.sim;

/**
 * What one way of scaling did over the simulated days.
 *
 * @param scaler             its name
 * @param peakBacklog        the most messages waiting at once
 * @param drainSeconds       from that peak until the queue was empty again
 * @param secondsBehind      seconds with more waiting than one consumer takes in a second
 * @param consumerHours      consumers × hours run: what the capacity cost
 * @param ratePerMinute      the arrival rate of each simulated minute, messages a second
 * @param consumersPerMinute the most consumers taking messages in each minute
 * @param backlogPerMinute   the most messages waiting in each minute
 */
public record SimulationResult(String scaler, double peakBacklog, long drainSeconds, long secondsBehind,
        double consumerHours, double[] ratePerMinute, double[] consumersPerMinute, double[] backlogPerMinute) {

    @Override
    public String toString() {
        return String.format("%-40s peak backlog %8.0f  drain %5d s  behind %6d s  consumer-hours %7.1f", scaler,
                peakBacklog, drainSeconds, secondsBehind, consumerHours);
    }
}

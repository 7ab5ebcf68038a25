package io.gamewire.capacity.archive;

/**
 * One sample of a series.
 *
 * @param rate      messages a second arriving for the series (published and confirmed) over the step
 * @param consumers the service's consumers across the cluster at the sample, {@code NaN} for a command's series
 */
public record UsageSample(double rate, double consumers) {

    public static UsageSample ofCommand(double rate) {
        return new UsageSample(rate, Double.NaN);
    }
}

package io.gamewire.capacity;

/**
 * What the forecast said about one step, and what came.
 *
 * @param actual     y<sub>t</sub>; NaN when the point is missing
 * @param prediction ŷ<sub>t</sub> = a<sub>t−1</sub> + b<sub>t−1</sub> + c<sub>t−m</sub> (RRDtool's HWPREDICT);
 *                   NaN during the first season
 * @param deviation  d<sub>t−m</sub>, the slot's deviation a season ago (RRDtool's DEVPREDICT); NaN during
 *                   the first two seasons
 * @param lower      ŷ − δ·d, NaN while the deviation is
 * @param upper      ŷ + δ·d, NaN while the deviation is
 * @param outside    the actual fell strictly outside the band (a missing point or band never does)
 * @param aberration at least k of the latest w points fell outside (RRDtool's FAILURES)
 */
public record ForecastPoint(double actual, double prediction, double deviation, double lower, double upper,
        boolean outside, boolean aberration) {

    /** Whether this point has an actual and a prediction, so an error. */
    public boolean hasError() {
        return !Double.isNaN(actual) && !Double.isNaN(prediction);
    }

    /** y − ŷ, NaN when either is missing. */
    public double error() {
        return actual - prediction;
    }
}

package io.gamewire.capacity;

import java.util.List;
import java.util.Locale;

/**
 * How a forecast did over the evaluated part of a series, against the targets.
 *
 * <ul>
 *   <li><b>MASE</b>: the forecast's mean absolute one-step error divided by that of the seasonal-naive
 *       forecast y<sub>t−m</sub>, over the same points (those with an actual, a prediction and y<sub>t−m</sub>
 *       known). Below 1 the forecast beats "the same as a season ago".</li>
 *   <li><b>Under the upper band</b>: the share of points with an actual and a band whose actual is at most
 *       the band's upper edge.</li>
 *   <li><b>Recall</b>: the share of injected aberrations starting in the evaluated part that are found: an
 *       aberration flag during the aberration or within w steps of its start.</li>
 *   <li><b>False alarms per day</b>: episodes (runs of consecutive flagged steps) of flags outside every
 *       injected aberration and outside the w steps after one ends (the failure window still holds the
 *       aberration's points then), per evaluated day.</li>
 * </ul>
 */
public record BacktestScore(double mase, double underUpperBand, double recall, double falseAlarmsPerDay,
        int evaluatedPoints, int aberrations, int found, int falseAlarms, double days) {

    public static final double MASE_TARGET = 0.8;
    public static final double UNDER_UPPER_BAND_TARGET = 0.95;
    public static final double RECALL_TARGET = 0.9;
    public static final double FALSE_ALARMS_PER_DAY_TARGET = 1.0;

    /**
     * @param series      the actual values
     * @param points      the forecast of each step of {@code series}
     * @param aberrations the injected intervals
     * @param from        the first evaluated step (the end of the training part)
     * @param parameters  the forecast's m and w
     * @param stepsPerDay steps in a simulated day
     */
    public static BacktestScore score(double[] series, ForecastPoint[] points, List<InjectedAberration> aberrations,
            int from, HoltWintersParameters parameters, int stepsPerDay) {
        if (points.length != series.length || from < 0 || from >= series.length) {
            throw new IllegalArgumentException(points.length + " forecast points for " + series.length
                    + " actual ones, evaluated from " + from);
        }
        int m = parameters.seasonLength();
        int w = parameters.window();
        double forecastError = 0;
        double naiveError = 0;
        int compared = 0;
        int banded = 0;
        int under = 0;
        for (int t = from; t < series.length; t++) {
            ForecastPoint point = points[t];
            if (point.hasError() && t >= m && !Double.isNaN(series[t - m])) {
                forecastError += Math.abs(point.error());
                naiveError += Math.abs(series[t] - series[t - m]);
                compared++;
            }
            if (!Double.isNaN(series[t]) && !Double.isNaN(point.upper())) {
                banded++;
                if (series[t] <= point.upper()) {
                    under++;
                }
            }
        }
        int evaluatedAberrations = 0;
        int found = 0;
        for (InjectedAberration aberration : aberrations) {
            if (aberration.start() < from) {
                continue;
            }
            evaluatedAberrations++;
            int last = Math.min(series.length, Math.max(aberration.end(), aberration.start() + w));
            for (int t = aberration.start(); t < last; t++) {
                if (points[t].aberration()) {
                    found++;
                    break;
                }
            }
        }
        int falseAlarms = 0;
        boolean inEpisode = false;
        for (int t = from; t < series.length; t++) {
            boolean falseFlag = points[t].aberration() && !excused(t, aberrations, w);
            if (falseFlag && !inEpisode) {
                falseAlarms++;
            }
            inEpisode = falseFlag;
        }
        double days = (double) (series.length - from) / stepsPerDay;
        return new BacktestScore(
                naiveError == 0 ? Double.NaN : forecastError / naiveError,
                banded == 0 ? Double.NaN : (double) under / banded,
                evaluatedAberrations == 0 ? Double.NaN : (double) found / evaluatedAberrations,
                falseAlarms / days, compared, evaluatedAberrations, found, falseAlarms, days);
    }

    private static boolean excused(int t, List<InjectedAberration> aberrations, int w) {
        for (InjectedAberration aberration : aberrations) {
            if (t >= aberration.start() && t < aberration.end() + w) {
                return true;
            }
        }
        return false;
    }

    /** Whether every figure meets its target (a figure with nothing to measure does not count against). */
    public boolean meetsTargets() {
        return !(mase > MASE_TARGET) && !(underUpperBand < UNDER_UPPER_BAND_TARGET) && !(recall < RECALL_TARGET)
                && !(falseAlarmsPerDay > FALSE_ALARMS_PER_DAY_TARGET);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MASE %.3f (target <= %.1f), under upper band %.1f %% (>= %.0f %%),"
                + " recall %.2f = %d/%d (>= %.1f), false alarms %.2f/day = %d in %.1f days (<= %.0f), %d points",
                mase, MASE_TARGET, 100 * underUpperBand, 100 * UNDER_UPPER_BAND_TARGET, recall, found, aberrations,
                RECALL_TARGET, falseAlarmsPerDay, falseAlarms, days, FALSE_ALARMS_PER_DAY_TARGET, evaluatedPoints);
    }
}

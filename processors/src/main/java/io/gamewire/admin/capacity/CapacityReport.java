package io.gamewire.admin.capacity;

import io.gamewire.capacity.ForecastPoint;
import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.HoltWintersState;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.capacity.plan.ScalingDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the admin API, the console and the picture say about one service's capacity, computed without I/O
 * from the archive's series and the planner's decisions: the forecast ({@link HoltWintersState}) run over the
 * series up to its latest known point ("now"), the forecast from there on, its peak, the aberrations it flagged,
 * and the latest decision with the current and planned consumers.
 *
 * @param service      {@code title.env.service}
 * @param parameters   the forecast's parameters (m in steps of the series)
 * @param series       the archive's rows, up to and including now
 * @param points       the forecast of each row of {@code series}
 * @param nowIndex     the row of the latest known rate, -1 when the series has none
 * @param ahead        the forecast for the steps after now (one per step of the series)
 * @param peak         the highest prediction of {@code ahead}, null when there is no forecast yet
 * @param aberrations  the runs of flagged rows (FAILURES), oldest first
 * @param latest       the planner's latest decision, if it took one
 * @param history      the planner's latest decisions, oldest first
 */
public record CapacityReport(String service, HoltWintersParameters parameters, UsageSeries series,
        ForecastPoint[] points, int nowIndex, List<Forecast> ahead, Forecast peak, List<Aberration> aberrations,
        Optional<ScalingDecision> latest, List<ScalingDecision> history) {

    /** The forecast for one step ahead: the prediction and its band (NaN edges while the slot has no deviation). */
    public record Forecast(long epochSecond, double prediction, double lower, double upper) {
        public Instant at() {
            return Instant.ofEpochSecond(epochSecond);
        }
    }

    /** A run of consecutive rows the forecast flagged, from the first to the last flagged row's time. */
    public record Aberration(long startEpochSecond, long endEpochSecond) {
    }

    /**
     * Runs the forecast over {@code series} and looks {@code stepsAhead} steps past its latest known row.
     *
     * @param history the planner's decisions for the service, oldest first (empty without a planner)
     */
    public static CapacityReport compute(String service, UsageSeries series, HoltWintersParameters parameters,
            int stepsAhead, List<ScalingDecision> history) {
        if (stepsAhead < 1) {
            throw new IllegalArgumentException("stepsAhead must be at least 1, was " + stepsAhead);
        }
        int nowIndex = series.size() - 1;
        while (nowIndex >= 0 && Double.isNaN(series.rates()[nowIndex])) {
            nowIndex--;
        }
        HoltWintersState state = new HoltWintersState(parameters);
        ForecastPoint[] points = new ForecastPoint[nowIndex + 1];
        for (int t = 0; t <= nowIndex; t++) {
            points[t] = state.update(series.rates()[t]);
        }
        List<Forecast> ahead = new ArrayList<>();
        Forecast peak = null;
        long from = nowIndex < 0 ? series.startEpochSecond() : series.time(nowIndex);
        for (int h = 1; h <= stepsAhead && nowIndex >= 0; h++) {
            double prediction = state.predict(h);
            if (Double.isNaN(prediction)) {
                break;
            }
            double upper = state.upperBand(h);
            Forecast forecast = new Forecast(from + h * series.stepSeconds(), prediction,
                    prediction - (upper - prediction), upper);
            ahead.add(forecast);
            if (peak == null || prediction > peak.prediction()) {
                peak = forecast;
            }
        }
        List<ScalingDecision> decisions = List.copyOf(history);
        Optional<ScalingDecision> latest = decisions.isEmpty() ? Optional.empty()
                : Optional.of(decisions.get(decisions.size() - 1));
        return new CapacityReport(service, parameters, series, points, nowIndex, List.copyOf(ahead), peak,
                aberrations(series, points), latest, decisions);
    }

    private static List<Aberration> aberrations(UsageSeries series, ForecastPoint[] points) {
        List<Aberration> runs = new ArrayList<>();
        int start = -1;
        for (int t = 0; t <= points.length; t++) {
            boolean flagged = t < points.length && points[t].aberration();
            if (flagged && start < 0) {
                start = t;
            } else if (!flagged && start >= 0) {
                runs.add(new Aberration(series.time(start), series.time(t - 1)));
                start = -1;
            }
        }
        return List.copyOf(runs);
    }

    /** The time of the latest known rate (the end of the series when it has none). */
    public Instant now() {
        return Instant.ofEpochSecond(nowIndex < 0 ? series.time(series.size() - 1) : series.time(nowIndex));
    }

    /** The latest known rate, messages a second; NaN without one. */
    public double currentRate() {
        return nowIndex < 0 ? Double.NaN : series.rates()[nowIndex];
    }

    /** The consumers at the latest row that has a count, NaN without one. */
    public double currentConsumers() {
        for (int t = Math.min(series.size(), series.consumers().length) - 1; t >= 0; t--) {
            if (!Double.isNaN(series.consumers()[t])) {
                return series.consumers()[t];
            }
        }
        return Double.NaN;
    }

    /** The forecast of the latest known row (what it predicted for now), null without a known row. */
    public ForecastPoint nowPoint() {
        return nowIndex < 0 ? null : points[nowIndex];
    }
}

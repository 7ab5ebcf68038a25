package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.capacity.Backtest;
import io.gamewire.capacity.BacktestScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code gamewire capacity} and the console's {@code capacity} print the admin API's capacity answers
 * ({@code io.gamewire.admin.capacity.CapacityAdmin}) and the local backtest: one place, so both read the same.
 */
final class CapacityText {

    private CapacityText() {
    }

    /** {@code GET /v1/admin/capacity}: a row per planned service with its latest decision. */
    static void decisions(JsonNode answer, ConsoleOutput out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode decision : answer.path("services")) {
            rows.add(decisionRow(decision, true));
        }
        out.table(List.of("SERVICE", "AT", "MODE", "CURRENT", "PLANNED", "APPLIED", "UPPER MSG/S", "REASON"), rows);
    }

    /** {@code GET /v1/admin/capacity/{service}}: now, the forecast peak and when, current and planned consumers. */
    static void summary(JsonNode report, ConsoleOutput out) {
        out.line(report.path("service").asText() + " at " + report.path("now").asText());
        JsonNode now = report.path("nowForecast");
        out.line("  now            " + rate(report.path("currentRate")) + (now.isObject()
                ? " (forecast " + number(now.path("prediction")) + ", band " + number(now.path("lower")) + " to "
                        + number(now.path("upper")) + (now.path("aberration").asBoolean() ? ", ABERRATION" : "") + ")"
                : ""));
        JsonNode peak = report.path("peak");
        out.line("  forecast peak  " + (peak.isObject()
                ? rate(peak.path("prediction")) + " at " + peak.path("at").asText() + " (upper band "
                        + number(peak.path("upper")) + "), within " + report.path("forecastHours").asInt() + " h"
                : "none yet: the forecast needs a full day of the archive first"));
        JsonNode decision = report.path("decision");
        String consumers = ConsoleOutput.cell(report.path("currentConsumers"));
        if (decision.isObject()) {
            out.line("  consumers      " + decision.path("current").asInt() + " now, " + decision.path("planned").asInt()
                    + " planned (" + decision.path("mode").asText() + ", "
                    + (decision.path("applied").asBoolean() ? "applied" : "not applied") + ", decided "
                    + decision.path("at").asText() + ")" + (consumers.isEmpty() ? "" : "; archive: " + consumers
                    + " across the cluster"));
            out.line("  why            " + decision.path("reason").asText());
        } else {
            out.line("  consumers      " + (consumers.isEmpty() ? "unknown" : consumers + " across the cluster")
                    + (report.path("planner").asText().equals("off") ? "; the planner is off on this instance"
                            : "; no decision yet"));
        }
        JsonNode aberrations = report.path("aberrations");
        if (!aberrations.isEmpty()) {
            JsonNode last = aberrations.get(aberrations.size() - 1);
            out.line("  aberrations    " + aberrations.size() + " in the archive, latest " + last.path("start").asText()
                    + " to " + last.path("end").asText());
        }
    }

    /** A service's decisions, oldest first. */
    static void history(JsonNode report, ConsoleOutput out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode decision : report.path("history")) {
            rows.add(decisionRow(decision, false));
        }
        out.table(List.of("AT", "MODE", "CURRENT", "PLANNED", "APPLIED", "UPPER MSG/S", "REASON"), rows);
    }

    private static List<String> decisionRow(JsonNode decision, boolean withService) {
        List<String> row = new ArrayList<>();
        if (withService) {
            row.add(decision.path("service").asText());
        }
        row.addAll(List.of(decision.path("at").asText(), decision.path("mode").asText(),
                ConsoleOutput.cell(decision.path("current")), ConsoleOutput.cell(decision.path("planned")),
                decision.path("applied").asBoolean() ? "yes" : "no", number(decision.path("forecastUpper")),
                decision.path("reason").asText()));
        return row;
    }

    /** {@code POST /v1/admin/capacity/{service}/fit}: the fitted smoothing and the lines to paste. */
    static void fit(JsonNode answer, ConsoleOutput out) {
        JsonNode start = answer.path("start");
        JsonNode fitted = answer.path("fitted");
        out.line("fitted on " + answer.path("knownPoints").asInt() + " 1 min rates of " + answer.path("service").asText()
                + " from " + answer.path("from").asText() + " to " + answer.path("to").asText()
                + " (" + answer.path("evaluations").asInt() + " runs of the forecast)");
        out.table(List.of("", "ALPHA", "BETA", "GAMMA", "SUM OF SQUARES"), List.of(
                List.of("start", precise(start.path("alpha")), precise(start.path("beta")), precise(start.path("gamma")),
                        number(answer.path("sumOfSquaresBefore"))),
                List.of("fitted", precise(fitted.path("alpha")), precise(fitted.path("beta")),
                        precise(fitted.path("gamma")), number(answer.path("sumOfSquaresAfter")))));
        out.line("");
        out.line("for the title file:");
        answer.path("yaml").forEach(line -> out.line(line.asText()));
    }

    /** The backtests, one row per seed, each figure against its target. */
    static void backtests(List<Backtest> backtests, ConsoleOutput out) {
        out.line(String.format(Locale.ROOT, "targets: MASE <= %.1f, under upper band >= %.0f %%, recall >= %.1f,"
                + " false alarms <= %.0f a day", BacktestScore.MASE_TARGET, 100 * BacktestScore.UNDER_UPPER_BAND_TARGET,
                BacktestScore.RECALL_TARGET, BacktestScore.FALSE_ALARMS_PER_DAY_TARGET));
        List<List<String>> rows = new ArrayList<>();
        for (Backtest backtest : backtests) {
            BacktestScore score = backtest.score();
            List<String> missed = new ArrayList<>();
            if (score.mase() > BacktestScore.MASE_TARGET) {
                missed.add("MASE");
            }
            if (score.underUpperBand() < BacktestScore.UNDER_UPPER_BAND_TARGET) {
                missed.add("under band");
            }
            if (score.recall() < BacktestScore.RECALL_TARGET) {
                missed.add("recall");
            }
            if (score.falseAlarmsPerDay() > BacktestScore.FALSE_ALARMS_PER_DAY_TARGET) {
                missed.add("false alarms");
            }
            rows.add(List.of(Long.toString(backtest.trace().settings().seed()),
                    format("%.3f", backtest.fitted().alpha()), format("%.2g", backtest.fitted().beta()),
                    format("%.3f", backtest.fitted().gamma()), format("%.2f", backtest.fitted().delta()),
                    format("%.3f", score.mase()), format("%.1f %%", 100 * score.underUpperBand()),
                    format("%.2f (%d/%d)", score.recall(), score.found(), score.aberrations()),
                    format("%.2f (%d)", score.falseAlarmsPerDay(), score.falseAlarms()),
                    missed.isEmpty() ? "PASS" : "FAIL (" + String.join(", ", missed) + ")"));
        }
        out.table(List.of("SEED", "ALPHA", "BETA", "GAMMA", "DELTA", "MASE", "UNDER BAND", "RECALL", "FALSE/DAY",
                "RESULT"), rows);
    }

    private static String format(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }

    private static String rate(JsonNode value) {
        return value.isNumber() ? number(value) + " msg/s" : "unknown";
    }

    private static String precise(JsonNode value) {
        return value.isNumber() ? format("%.4g", value.asDouble()) : ConsoleOutput.cell(value);
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? format("%.1f", value.asDouble()) : ConsoleOutput.cell(value);
    }
}

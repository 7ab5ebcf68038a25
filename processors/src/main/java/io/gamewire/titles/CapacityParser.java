package io.gamewire.titles;

import io.gamewire.titles.model.CapacitySettings;
import io.gamewire.titles.model.CapacitySettings.Mode;
import io.gamewire.titles.model.CapacitySettings.Season;
import io.gamewire.titles.yaml.YamlNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a title's {@code capacity:} block into {@link CapacitySettings}; each field left out keeps its
 * default. A refused value is a problem on its field naming the limit.
 */
final class CapacityParser {

    private static final Set<String> FIELDS = Set.of("mode", "season", "alpha", "beta", "gamma", "delta",
            "threshold", "window", "lead", "cool-down", "consumer-rate");
    private static final String DURATION_RULE = "must be a duration such as 30s, 5m or 1h";

    private CapacityParser() {
    }

    static CapacitySettings capacity(YamlNode node) {
        CapacitySettings d = CapacitySettings.DEFAULTS;
        Map<String, YamlNode> fields = node.fields(FIELDS, Set.of());
        Mode mode = Optional.ofNullable(fields.get("mode"))
                .flatMap(n -> n.text(Pattern.compile("off|recommend|act"), "must be off, recommend or act"))
                .map(value -> Mode.valueOf(value.toUpperCase(Locale.ROOT))).orElse(d.mode());
        Season season = Optional.ofNullable(fields.get("season"))
                .flatMap(n -> n.text(Pattern.compile("day|week"), "must be day or week"))
                .map(value -> Season.valueOf(value.toUpperCase(Locale.ROOT))).orElse(d.season());
        double alpha = unit(fields.get("alpha")).orElse(d.alpha());
        double beta = unit(fields.get("beta")).orElse(d.beta());
        double gamma = unit(fields.get("gamma")).orElse(d.gamma());
        double delta = positive(fields.get("delta"), "a positive number of deviations").orElse(d.delta());
        int window = Optional.ofNullable(fields.get("window"))
                .flatMap(n -> n.integer(1, CapacitySettings.MAX_WINDOW)).orElse(d.window());
        int threshold = Optional.ofNullable(fields.get("threshold")).flatMap(n -> n.integer(1, CapacitySettings.MAX_WINDOW))
                .orElse(Math.min(d.threshold(), window));
        if (threshold > window && fields.containsKey("threshold")) {
            fields.get("threshold").problem("threshold (k = " + threshold + ") must not exceed the window (w = "
                    + window + ")");
        }
        Duration lead = duration(fields.get("lead")).orElse(d.lead());
        Duration coolDown = duration(fields.get("cool-down")).orElse(d.coolDown());
        double consumerRate = positive(fields.get("consumer-rate"), "a positive number of messages a second")
                .orElse(d.consumerRate());
        return new CapacitySettings(mode, season, alpha, beta, gamma, delta, threshold, window, lead, coolDown,
                consumerRate);
    }

    /** A number strictly between 0 and 1. */
    private static Optional<Double> unit(YamlNode node) {
        return number(node).filter(value -> {
            if (value > 0 && value < 1) {
                return true;
            }
            node.problem("'" + node.text().orElse("") + "' must be a number between 0 and 1, both excluded");
            return false;
        });
    }

    private static Optional<Double> positive(YamlNode node, String what) {
        return number(node).filter(value -> {
            if (value > 0 && !value.isInfinite()) {
                return true;
            }
            node.problem("'" + node.text().orElse("") + "' must be " + what);
            return false;
        });
    }

    private static Optional<Double> number(YamlNode node) {
        if (node == null) {
            return Optional.empty();
        }
        return node.text().flatMap(text -> {
            try {
                double value = Double.parseDouble(text);
                if (!Double.isNaN(value)) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            node.problem("'" + text + "' must be a number");
            return Optional.empty();
        });
    }

    private static Optional<Duration> duration(YamlNode node) {
        if (node == null) {
            return Optional.empty();
        }
        return TitleFileParser.duration(node, DURATION_RULE);
    }
}

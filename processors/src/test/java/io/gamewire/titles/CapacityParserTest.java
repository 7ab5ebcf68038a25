package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.titles.model.CapacitySettings;
import io.gamewire.titles.model.CapacitySettings.Mode;
import io.gamewire.titles.model.CapacitySettings.Season;
import io.gamewire.titles.yaml.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityParserTest {

    private static final String TITLE = """
            title: t
            environments: [prod]
            services:
              s:
                commands:
                  c:
            """;
    private final TitleFileParser parser = new TitleFileParser();

    private TitleFileParser.Result parse(String capacity) {
        return parser.parse(Path.of("t.yaml"), TITLE + capacity);
    }

    private List<String> problems(String capacity) {
        return parse(capacity).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aTitleWithoutTheBlockRecommendsWithTheDefaults() {
        assertThat(parse("").definition().capacity()).isEqualTo(CapacitySettings.DEFAULTS);
        assertThat(CapacitySettings.DEFAULTS.mode()).isEqualTo(Mode.RECOMMEND);
        assertThat(CapacitySettings.DEFAULTS.lead()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theDefaultsAreTheForecastsDefaults() {
        HoltWintersParameters forecast = HoltWintersParameters.defaults(1440);
        CapacitySettings d = CapacitySettings.DEFAULTS;
        assertThat(List.of(d.alpha(), d.beta(), d.gamma(), d.delta()))
                .containsExactly(forecast.alpha(), forecast.beta(), forecast.gamma(), forecast.delta());
        assertThat(List.of(d.threshold(), d.window())).containsExactly(forecast.threshold(), forecast.window());
        assertThat(CapacitySettings.MAX_WINDOW).isEqualTo(HoltWintersParameters.MAX_WINDOW);
    }

    @Test
    void everyFieldIsRead() {
        CapacitySettings settings = parse("""
                capacity:
                  mode: act
                  season: week
                  alpha: 0.2
                  beta: 0.01
                  gamma: 0.3
                  delta: 3.5
                  threshold: 5
                  window: 12
                  lead: 10m
                  cool-down: 1h
                  consumer-rate: 250.5
                """).definition().capacity();

        assertThat(settings).isEqualTo(new CapacitySettings(Mode.ACT, Season.WEEK, 0.2, 0.01, 0.3, 3.5, 5, 12,
                Duration.ofMinutes(10), Duration.ofHours(1), 250.5));
    }

    @Test
    void eachRefusalNamesTheFieldAndTheLimit() {
        assertThat(problems("""
                capacity:
                  mode: auto
                  season: month
                  alpha: 1
                  beta: 0
                  gamma: x
                  delta: -1
                  window: 29
                  lead: 5 minutes
                  cool-down: 0m
                  consumer-rate: 0
                  speed: 3
                """)).containsExactly(
                "t.yaml:8:9: capacity.mode: 'auto' must be off, recommend or act",
                "t.yaml:9:11: capacity.season: 'month' must be day or week",
                "t.yaml:10:10: capacity.alpha: '1' must be a number between 0 and 1, both excluded",
                "t.yaml:11:9: capacity.beta: '0' must be a number between 0 and 1, both excluded",
                "t.yaml:12:10: capacity.gamma: 'x' must be a number",
                "t.yaml:13:10: capacity.delta: '-1' must be a positive number of deviations",
                "t.yaml:14:11: capacity.window: '29' must be a whole number from 1 to 28",
                "t.yaml:15:9: capacity.lead: '5 minutes' must be a duration such as 30s, 5m or 1h",
                "t.yaml:16:14: capacity.cool-down: '0m' must be a duration such as 30s, 5m or 1h",
                "t.yaml:17:18: capacity.consumer-rate: '0' must be a positive number of messages a second",
                "t.yaml:18:3: capacity.speed: unknown field 'speed'; allowed here: alpha, beta, consumer-rate,"
                        + " cool-down, delta, gamma, lead, mode, season, threshold, window");
    }

    @Test
    void theThresholdMayNotExceedTheWindow() {
        assertThat(problems("""
                capacity:
                  threshold: 6
                  window: 5
                """)).containsExactly(
                "t.yaml:8:14: capacity.threshold: threshold (k = 6) must not exceed the window (w = 5)");
    }

    @Test
    void theShippedHaloExampleHasABlock() {
        CapacitySettings halo = parser.parse(Path.of("../config/titles/halo.yaml")).definition().capacity();

        assertThat(halo.mode()).isEqualTo(Mode.RECOMMEND);
        assertThat(halo.consumerRate()).isEqualTo(200);
        assertThat(halo.delta()).isEqualTo(3);
    }
}

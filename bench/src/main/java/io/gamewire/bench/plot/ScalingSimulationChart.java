package io.gamewire.bench.plot;

import io.gamewire.capacity.SyntheticTrace;
import io.gamewire.capacity.TraceSettings;
import io.gamewire.capacity.sim.ScalingSimulation;
import io.gamewire.capacity.sim.SimulationResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;

/**
 * The figures and the plot of docs/CAPACITY.md "Forecast against reactive scaling": the
 * {@link ScalingSimulation} of a seasonal trace and of one with spikes, each over three simulated
 * days after seven of training, under the forecast, Spring's container and a queue-depth autoscaler.
 * Prints one line per run and draws, for one simulated day of each trace, the arrival rate against
 * each way's capacity (consumers × what one sustains) and the backlog.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.ScalingSimulationChart OUT.png
 * </pre>
 */
public final class ScalingSimulationChart {

    private static final int DAY = 1_440;
    /** The simulated day drawn: the second of the three. */
    private static final int DRAWN_DAY = 1;
    /** Arrivals, then the three ways in {@link ScalingSimulation#compare}'s order, the same in every panel. */
    private static final Color[] COLORS = {Color.GRAY, new Color(230, 120, 0), new Color(120, 40, 180),
        new Color(30, 150, 60)};

    private ScalingSimulationChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ScalingSimulationChart OUT.png");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        ScalingSimulation.Settings settings = ScalingSimulation.Settings.defaults();
        List<XYChart> panels = new ArrayList<>();
        for (int spikes : new int[] {0, 2}) {
            SyntheticTrace trace = SyntheticTrace.generate(new TraceSettings(1, Duration.ofMinutes(1), 10, 100, 0.4,
                    0.2, 0.01, 0.05, spikes, spikes / 2, 7, 8, 24, 1.8));
            for (int startup : new int[] {0, 60}) {
                System.out.printf("%s, consumer start-up %d s%n", spikes == 0 ? "seasonal" : "with spikes", startup);
                List<SimulationResult> results = ScalingSimulation.compare(trace, settings.withStartupSeconds(startup));
                results.forEach(System.out::println);
                if (startup == 0) {
                    String what = spikes == 0 ? "a seasonal day" : "a day with a spike";
                    panels.add(capacity(results, settings, what));
                    panels.add(backlog(results, what));
                }
            }
        }
        StackedCharts.write(panels, Path.of(args[0]));
    }

    private static XYChart capacity(List<SimulationResult> results, ScalingSimulation.Settings settings, String what) {
        XYChart chart = chart("Arrivals and capacity (consumers × " + (int) settings.consumerRate()
                + " msg/s): " + what, "msg/s");
        line(chart, "arrivals", results.get(0).ratePerMinute(), 1, COLORS[0]);
        for (int i = 0; i < results.size(); i++) {
            line(chart, results.get(i).scaler(), results.get(i).consumersPerMinute(), settings.consumerRate(),
                    COLORS[i + 1]);
        }
        return chart;
    }

    private static XYChart backlog(List<SimulationResult> results, String what) {
        XYChart chart = chart("Messages waiting: " + what, "messages");
        for (int i = 0; i < results.size(); i++) {
            line(chart, results.get(i).scaler(), results.get(i).backlogPerMinute(), 1, COLORS[i + 1]);
        }
        return chart;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = StackedCharts.chart(title, "hour of the day", yTitle, 330);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(24.0);
        return chart;
    }

    private static void line(XYChart chart, String name, double[] perMinute, double factor, Color color) {
        int from = DRAWN_DAY * DAY;
        List<Double> hours = IntStream.range(0, DAY).mapToObj(m -> m / 60.0).toList();
        List<Double> values = IntStream.range(from, from + DAY).mapToObj(m -> perMinute[m] * factor).toList();
        StackedCharts.line(chart, name, hours, values, color);
    }
}

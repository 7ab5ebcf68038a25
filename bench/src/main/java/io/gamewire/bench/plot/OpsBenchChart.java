package io.gamewire.bench.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * The chart of {@code bench/run-ops-bench.sh} runs: for each round of each output file, the ratios
 * its summary gives (on/off, bus/off, tails/on) as bars, and the target of 0.90 as a line, so that
 * the spread between rounds shows at a glance.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.OpsBenchChart OUT.png LABEL=results.txt …
 * </pre>
 */
public final class OpsBenchChart {

    /** A summary row: round, the four rates, the three ratios. */
    private static final Pattern ROW = Pattern.compile(
            "^(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s");
    private static final String[] RATIOS = {"on / off", "bus / off", "tails / on"};
    private static final double TARGET = 0.90;

    private OpsBenchChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: OpsBenchChart OUT.png LABEL=run-ops-bench-output.txt ...");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        List<String> rounds = new ArrayList<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (String name : RATIOS) {
            ratios.put(name, new ArrayList<>());
        }
        for (int i = 1; i < args.length; i++) {
            String[] labelled = args[i].split("=", 2);
            if (labelled.length != 2) {
                throw new IllegalArgumentException("argument " + i + " '" + args[i] + "': give LABEL=FILE");
            }
            read(labelled[0], Path.of(labelled[1]), rounds, ratios);
        }
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no summary rows in the files given");
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title("What the bus monitor and ten tails cost TCP ingest (ratios per round; target >= 0.90)")
                .xAxisTitle("run and round").yAxisTitle("events/s ratio").build();
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.5);
        for (Map.Entry<String, List<Double>> series : ratios.entrySet()) {
            // a round without the run (0) has no bar
            List<Double> values = series.getValue().stream().map(v -> v == 0 ? null : v).toList();
            if (values.stream().anyMatch(v -> v != null)) {
                chart.addSeries(series.getKey(), rounds, values);
            }
        }
        chart.addSeries("target 0.90", rounds, rounds.stream().map(r -> TARGET).toList())
                .setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        Path out = Path.of(args[0]);
        BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void read(String label, Path file, List<String> rounds, Map<String, List<Double>> ratios)
            throws IOException {
        boolean summary = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("== summary")) {
                summary = true;
                continue;
            }
            Matcher row = summary ? ROW.matcher(line) : null;
            if (row != null && row.find()) {
                rounds.add(label + row.group(1));
                for (int i = 0; i < RATIOS.length; i++) {
                    ratios.get(RATIOS[i]).add(Double.parseDouble(row.group(i + 2)));
                }
            }
        }
    }
}

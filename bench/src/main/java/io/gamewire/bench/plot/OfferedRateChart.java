package io.gamewire.bench.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plot of {@code bench/run-all.sh}: for each ingest path, what gamewire accepted and its latency
 * (p50, p99) against the rate the load generator offered ({@code LoadMain --rate}), so that where a
 * path saturates, and how its latency grows on the way, shows at a glance.
 *
 * <p>Input: the CSV run-all.sh writes, {@code path,offered,accepted,p50_ms,p99_ms}, one row per
 * paced run. The throughput chart has the line "accepted = offered" that a path keeping up follows.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.OfferedRateChart OUT.png offered-rate.csv
 * </pre>
 */
public final class OfferedRateChart {

    private static final Color[] COLORS = {new Color(0, 110, 190), new Color(230, 120, 0), new Color(40, 150, 60),
        new Color(120, 40, 180)};

    private OfferedRateChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: OfferedRateChart OUT.png offered-rate.csv");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Point>> paths = read(Path.of(args[1]));
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(args[1] + " has no rows");
        }

        XYChart throughput = StackedCharts.chart("Accepted against offered rate (LoadMain --rate)",
                "offered events/s", "accepted events/s", 420);
        XYChart latency = StackedCharts.chart("Latency against offered rate (ACK for TCP, request for HTTP)",
                "offered events/s", "milliseconds (log scale)", 420);
        // from a few milliseconds well below saturation to seconds past it: only a log axis shows both
        latency.getStyler().setYAxisMin(null);
        latency.getStyler().setYAxisLogarithmic(true);
        // the measured points are what matters here, so they show (StackedCharts draws bare lines)
        throughput.getStyler().setMarkerSize(7);
        latency.getStyler().setMarkerSize(7);
        double highest = paths.values().stream().flatMap(List::stream).mapToDouble(Point::offered).max().orElse(1);
        StackedCharts.line(throughput, "accepted = offered", List.of(0.0, highest), List.of(0.0, highest), Color.GRAY);
        int i = 0;
        for (Map.Entry<String, List<Point>> path : paths.entrySet()) {
            Color color = COLORS[i++ % COLORS.length];
            List<Double> offered = path.getValue().stream().map(Point::offered).toList();
            marked(throughput.addSeries(path.getKey(), offered,
                    path.getValue().stream().map(Point::accepted).toList()), color);
            marked(latency.addSeries(path.getKey() + " p99", offered,
                    path.getValue().stream().map(Point::p99).toList()), color);
            XYSeries median = latency.addSeries(path.getKey() + " p50", offered,
                    path.getValue().stream().map(Point::p50).toList());
            marked(median, color.brighter());
            median.setMarker(SeriesMarkers.DIAMOND);
        }
        StackedCharts.write(List.of(throughput, latency), Path.of(args[0]));
    }

    private static void marked(XYSeries series, Color color) {
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    private record Point(double offered, double accepted, double p50, double p99) {
    }

    /** The rows by path, in the file's order; each path's points by offered rate. */
    private static Map<String, List<Point>> read(Path csv) throws IOException {
        Map<String, List<Point>> paths = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("path,")) {
                continue;
            }
            String[] cells = line.split(",");
            if (cells.length != 5) {
                throw new IllegalArgumentException(csv + " line " + (n + 1) + ": expected path,offered,accepted,p50_ms,p99_ms,"
                        + " got '" + line + "'");
            }
            paths.computeIfAbsent(cells[0], p -> new ArrayList<>()).add(new Point(Double.parseDouble(cells[1]),
                    Double.parseDouble(cells[2]), Double.parseDouble(cells[3]), Double.parseDouble(cells[4])));
        }
        paths.values().forEach(points -> points.sort((a, b) -> Double.compare(a.offered(), b.offered())));
        return paths;
    }
}

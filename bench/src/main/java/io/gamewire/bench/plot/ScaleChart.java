package io.gamewire.bench.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plot of {@code bench/run-scale-bench.sh}: throughput against the number of gamewire instances
 * on the RabbitMQ cluster (ingest: events acknowledged; end to end: events stored), with PerfTest's
 * rate on the same cluster as a line, and under it the cores each kind of process kept busy in
 * each run, stacked, which names the bound.
 *
 * <p>Input: the CSV the script writes, {@code instances,phase,events_per_s,stored_per_s,} followed by
 * one {@code <process>_cores} column per kind of process; phase is {@code ingest}, {@code e2e} or
 * {@code perftest} (instances 0).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.ScaleChart OUT.png scale.csv
 * </pre>
 */
public final class ScaleChart {

    private static final Color INGEST = new Color(0, 110, 190);
    private static final Color END_TO_END = new Color(230, 120, 0);
    /** In the order of the script's columns: rabbitmq, mariadb, redis, memcached, gamewire, load, others. */
    private static final Color[] PROCESS_COLORS = {new Color(200, 60, 40), new Color(40, 150, 60),
        new Color(120, 40, 180), new Color(90, 200, 220), new Color(0, 110, 190), new Color(230, 170, 0),
        new Color(170, 170, 170)};

    private ScaleChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ScaleChart OUT.png scale.csv");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Table table = Table.read(Path.of(args[1]));

        XYChart throughput = StackedCharts.chart("Throughput against gamewire instances (3-node RabbitMQ cluster,"
                + " quorum queue)", "gamewire instances", "events/s", 420);
        throughput.getStyler().setMarkerSize(8);
        throughput.getStyler().setXAxisDecimalPattern("0");
        List<Row> ingest = table.phase("ingest");
        List<Row> endToEnd = table.phase("e2e");
        marked(throughput.addSeries("ingest (acknowledged)", instances(ingest),
                ingest.stream().map(Row::events).toList()), INGEST);
        marked(throughput.addSeries("end to end (stored in MariaDB)", instances(endToEnd),
                endToEnd.stream().map(Row::stored).toList()), END_TO_END);
        List<Row> perfTest = table.phase("perftest");
        if (!perfTest.isEmpty()) {
            double lowest = table.rows.stream().filter(r -> r.instances() > 0).mapToDouble(Row::instances).min().orElse(1);
            double highest = table.rows.stream().mapToDouble(Row::instances).max().orElse(1);
            StackedCharts.line(throughput, "PerfTest alone, same cluster", List.of(lowest, highest),
                    List.of(perfTest.get(0).events(), perfTest.get(0).events()), Color.GRAY);
        }

        CategoryChart cores = new CategoryChartBuilder().width(1000).height(420)
                .title("Cores kept busy per process during each run (from /proc/PID/stat; 2 cores in the machine)")
                .xAxisTitle("run").yAxisTitle("cores").build();
        cores.getStyler().setStacked(true);
        cores.getStyler().setYAxisMin(0.0);
        List<Row> runs = new ArrayList<>(ingest);
        runs.addAll(endToEnd);
        runs.addAll(perfTest);
        List<String> labels = runs.stream().map(Row::label).toList();
        for (int p = 0; p < table.processes.size(); p++) {
            int column = p;
            cores.addSeries(table.processes.get(p), labels, runs.stream().map(r -> r.cores().get(column)).toList())
                    .setFillColor(PROCESS_COLORS[p % PROCESS_COLORS.length]);
        }
        StackedCharts.write(List.of(throughput, cores), Path.of(args[0]));
    }

    private static List<Double> instances(List<Row> rows) {
        return rows.stream().map(Row::instances).toList();
    }

    private static void marked(XYSeries series, Color color) {
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        series.setLineColor(color);
    }

    private record Row(double instances, String phase, double events, double stored, List<Double> cores) {

        String label() {
            return phase.equals("perftest") ? "PerfTest" : (int) instances + " × " + phase;
        }
    }

    /** The rows in the file's order, and the names of its cores columns (without "_cores"). */
    private record Table(List<Row> rows, List<String> processes) {

        private static final int FIXED_COLUMNS = 4;

        List<Row> phase(String phase) {
            return rows.stream().filter(r -> r.phase().equals(phase)).toList();
        }

        static Table read(Path csv) throws IOException {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty() || !lines.get(0).startsWith("instances,phase,events_per_s,stored_per_s")) {
                throw new IllegalArgumentException(csv + ": the first line must be the header"
                        + " instances,phase,events_per_s,stored_per_s,<process>_cores,...");
            }
            String[] header = lines.get(0).strip().split(",");
            List<String> processes = new ArrayList<>();
            for (int i = FIXED_COLUMNS; i < header.length; i++) {
                processes.add(header[i].replaceFirst("_cores$", ""));
            }
            List<Row> rows = new ArrayList<>();
            for (int n = 1; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != header.length) {
                    throw new IllegalArgumentException(csv + " line " + (n + 1) + ": " + header.length
                            + " cells expected as in the header, got '" + line + "'");
                }
                List<Double> cores = new ArrayList<>();
                for (int i = FIXED_COLUMNS; i < cells.length; i++) {
                    cores.add(number(cells[i]));
                }
                rows.add(new Row(number(cells[0]), cells[1], number(cells[2]), number(cells[3]), cores));
            }
            if (rows.stream().noneMatch(r -> r.phase().equals("ingest") || r.phase().equals("e2e"))) {
                throw new IllegalArgumentException(csv + " has no ingest or e2e rows");
            }
            return new Table(rows, processes);
        }

        /** An empty cell (not measured) is 0. */
        private static double number(String cell) {
            return cell.isBlank() ? 0 : Double.parseDouble(cell);
        }
    }
}

package io.gamewire.bench.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The plot of {@code bench/soak.sh}: the heap used after each forced full GC over the run, with the
 * limit it must stay below, and the backlog of the service queue (a soak whose consumers fall behind
 * shows it there, not in the heap).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.SoakChart OUT.png soak.csv LIMIT_MB
 * </pre>
 */
public final class SoakChart {

    private SoakChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SoakChart OUT.png soak.csv LIMIT_MB");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        double limit = Double.parseDouble(args[2]);
        List<Double> minutes = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> backlog = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        for (int n = 1; n < lines.size(); n++) { // line 1 names the columns
            String[] cells = lines.get(n).split(",", -1);
            if (cells.length != 4) {
                throw new IllegalArgumentException(args[1] + " line " + (n + 1)
                        + ": expected seconds,heap_after_gc_mb,stored,backlog, got '" + lines.get(n) + "'");
            }
            minutes.add(Double.parseDouble(cells[0]) / 60);
            heap.add(Double.parseDouble(cells[1]));
            backlog.add(cells[3].isBlank() ? 0 : Double.parseDouble(cells[3]));
        }
        if (minutes.isEmpty()) {
            throw new IllegalArgumentException(args[1] + " has no samples");
        }
        XYChart heapChart = StackedCharts.chart("Heap used after a full GC (bench/soak.sh)", "minutes", "MB", 380);
        StackedCharts.line(heapChart, "heap after GC", minutes, heap, new Color(0, 110, 190));
        StackedCharts.line(heapChart, "limit " + (int) limit + " MB", List.of(0.0, minutes.get(minutes.size() - 1)),
                List.of(limit, limit), Color.RED);
        XYChart backlogChart = StackedCharts.chart("Messages waiting in halo.prod.stats", "minutes", "messages", 300);
        StackedCharts.line(backlogChart, "backlog", minutes, backlog, new Color(230, 120, 0));
        StackedCharts.write(List.of(heapChart, backlogChart), Path.of(args[0]));
    }
}

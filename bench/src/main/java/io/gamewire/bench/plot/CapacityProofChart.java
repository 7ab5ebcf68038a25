package io.gamewire.bench.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The plot of docs/CAPACITY.md "Through the stack, on a compressed clock": the CSV files
 * {@code CompressedDaysIT} writes ({@code test/target/capacity-proof-act.csv} and {@code -off.csv}),
 * as consumers over the simulated hours: what the load needs (arrivals ÷ what one consumer sustains),
 * what ran under the forecast and under Spring's container; and the backlog of each.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.plot.CapacityProofChart OUT.png CONSUMER_RATE act.csv off.csv
 * </pre>
 */
public final class CapacityProofChart {

    private CapacityProofChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CapacityProofChart OUT.png CONSUMER_RATE act.csv off.csv");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        double consumerRate = Double.parseDouble(args[1]);
        List<Row> forecast = read(Path.of(args[2]));
        List<Row> reactive = read(Path.of(args[3]));

        XYChart consumers = chart("Consumers through the embedded stack, one simulated afternoon and evening at 120x",
                "consumers");
        line(consumers, "needed (arrivals / " + String.format("%.3f", consumerRate) + ")", forecast,
                row -> row.arrivals / consumerRate, Color.GRAY);
        line(consumers, "forecast (mode act)", forecast, row -> row.consumers, new Color(230, 120, 0));
        line(consumers, "Spring SMLC (mode off)", reactive, row -> row.consumers, new Color(120, 40, 180));
        XYChart backlog = chart("Messages waiting in the service queue", "messages");
        line(backlog, "forecast (mode act)", forecast, row -> row.backlog, new Color(230, 120, 0));
        line(backlog, "Spring SMLC (mode off)", reactive, row -> row.backlog, new Color(120, 40, 180));

        StackedCharts.write(List.of(consumers, backlog), Path.of(args[0]));
    }

    private record Row(double hour, double arrivals, double consumers, double backlog) {
    }

    private static List<Row> read(Path csv) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("time")) {
                continue;
            }
            String[] cells = line.split(",");
            double hour = Instant.parse(cells[0]).atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 3600.0;
            rows.add(new Row(hour, Double.parseDouble(cells[1]), Double.parseDouble(cells[2]),
                    Double.parseDouble(cells[3])));
        }
        return rows;
    }

    private static XYChart chart(String title, String yTitle) {
        return StackedCharts.chart(title, "simulated hour of the day", yTitle, 360);
    }

    private static void line(XYChart chart, String name, List<Row> rows, java.util.function.ToDoubleFunction<Row> value,
            Color color) {
        StackedCharts.line(chart, name, rows.stream().map(Row::hour).toList(),
                rows.stream().map(value::applyAsDouble).toList(), color);
    }
}

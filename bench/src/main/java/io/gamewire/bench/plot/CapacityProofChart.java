package io.gamewire.bench.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

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

        List<BufferedImage> panels = List.of(BitmapEncoder.getBufferedImage(consumers),
                BitmapEncoder.getBufferedImage(backlog));
        BufferedImage all = new BufferedImage(panels.get(0).getWidth(),
                panels.stream().mapToInt(BufferedImage::getHeight).sum(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        int y = 0;
        for (BufferedImage panel : panels) {
            g.drawImage(panel, 0, y, null);
            y += panel.getHeight();
        }
        g.dispose();
        ImageIO.write(all, "png", Path.of(args[0]).toFile());
        System.out.println("wrote " + Path.of(args[0]).toAbsolutePath());
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
        XYChart chart = new XYChartBuilder().width(1000).height(360).title(title).xAxisTitle("simulated hour of the day")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    private static void line(XYChart chart, String name, List<Row> rows, java.util.function.ToDoubleFunction<Row> value,
            Color color) {
        XYSeries series = chart.addSeries(name, rows.stream().map(Row::hour).toList(),
                rows.stream().map(value::applyAsDouble).toList());
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
    }
}

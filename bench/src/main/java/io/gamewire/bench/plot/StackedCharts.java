package io.gamewire.bench.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the capacity plots share: time charts of lines without markers, stacked into one PNG. */
final class StackedCharts {

    private StackedCharts() {
    }

    /** A chart 1000 wide, its y axis from 0. */
    static XYChart chart(String title, String xTitle, String yTitle, int height) {
        XYChart chart = new XYChartBuilder().width(1000).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    static void line(XYChart chart, String name, List<Double> x, List<Double> y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
    }

    /** The charts one under the other in one PNG. */
    static void write(List<? extends Chart<?, ?>> charts, Path out) throws IOException {
        List<BufferedImage> panels = charts.stream().map(BitmapEncoder::getBufferedImage).toList();
        BufferedImage all = new BufferedImage(panels.get(0).getWidth(),
                panels.stream().mapToInt(BufferedImage::getHeight).sum(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        int y = 0;
        for (BufferedImage panel : panels) {
            g.drawImage(panel, 0, y, null);
            y += panel.getHeight();
        }
        g.dispose();
        ImageIO.write(all, "png", out.toFile());
        System.out.println("wrote " + out.toAbsolutePath());
    }
}

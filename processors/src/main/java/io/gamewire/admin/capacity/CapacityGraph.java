package io.gamewire.admin.capacity;

import io.gamewire.capacity.ForecastPoint;
import io.gamewire.capacity.plan.ScalingDecision;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.rrd4j.graph.RrdGraph;
import org.rrd4j.graph.RrdGraphConstants;
import org.rrd4j.graph.RrdGraphDef;
import org.rrd4j.graph.RrdGraphInfo;

/**
 * The picture of one service's {@link CapacityReport}, drawn by rrd4j's grapher: the actual rate (line), the
 * forecast (line), its band (an area from the lower to the upper edge), a red vertical rule where each
 * aberration began, a grey one at now, and the consumers.
 *
 * <p>rrd4j 3.10 has no second value axis (RRDtool's {@code --right-axis}), so the consumers are drawn on the
 * rate's scale as the capacity they give: consumers × what one consumer sustains (the latest decision's
 * {@code consumerRate}); without a decision, scaled so the most consumers reach the highest rate. The legend
 * names the factor.
 *
 * <p>The series are handed to the grapher as {@link org.rrd4j.data.IPlottable}s, so the picture works with
 * any archive behind {@code UsageArchive}. The PNG is exactly {@code width} × {@code height} pixels: rrd4j sizes
 * the plotting area, so a first drawing measures what the axes and legend add, and the second is sized for it.
 */
public final class CapacityGraph {

    static {
        // the grapher draws with AWT; a server has no display
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color ACTUAL = new Color(0x1f, 0x77, 0xb4);
    private static final Color FORECAST = new Color(0xff, 0x7f, 0x0e);
    private static final Color BAND = new Color(0xff, 0x7f, 0x0e, 0x40);
    private static final Color CONSUMERS = new Color(0x2c, 0xa0, 0x2c);
    private static final Color ABERRATION = new Color(0xd6, 0x27, 0x28);
    private static final Color NOW = Color.GRAY;

    private CapacityGraph() {
    }

    /**
     * The PNG of {@code report} from {@code startEpochSecond} to {@code endEpochSecond} (the part after now is
     * the forecast), {@code width} × {@code height} pixels.
     */
    public static byte[] png(CapacityReport report, long startEpochSecond, long endEpochSecond, int width, int height) {
        try {
            RrdGraphInfo first = draw(report, startEpochSecond, endEpochSecond, width, height);
            int plotWidth = Math.max(50, 2 * width - first.getWidth());
            int plotHeight = Math.max(30, 2 * height - first.getHeight());
            RrdGraphInfo second = draw(report, startEpochSecond, endEpochSecond, plotWidth, plotHeight);
            if (second.getWidth() == width && second.getHeight() == height) {
                return second.getBytes();
            }
            return fitted(second.getBytes(), width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("drawing the capacity picture of " + report.service(), e);
        }
    }

    private static RrdGraphInfo draw(CapacityReport report, long start, long end, int width, int height)
            throws IOException {
        Series series = new Series(report);
        RrdGraphDef graph = new RrdGraphDef(start, end);
        graph.setFilename(RrdGraphConstants.IN_MEMORY_IMAGE);
        graph.setImageFormat("png");
        graph.setStep(report.series().stepSeconds());
        graph.setWidth(width);
        graph.setHeight(height);
        graph.setLocale(Locale.ROOT);
        graph.setTimeZone(TimeZone.getTimeZone("UTC"));
        graph.setAntiAliasing(true);
        graph.setShowSignature(false);
        graph.setMinValue(0);
        graph.setTitle(report.service() + " (UTC)");
        graph.setVerticalLabel("msg/s");

        graph.datasource("actual", series::actual);
        graph.datasource("forecast", series::prediction);
        graph.datasource("lower", series::lower);
        graph.datasource("upper", series::upper);
        graph.datasource("band", "upper,lower,-");
        double factor = consumerFactor(report);
        graph.datasource("consumers", series::consumers);
        graph.datasource("capacity", "consumers," + factor + ",*");

        graph.area("lower", new Color(0, 0, 0, 0));
        graph.stack("band", BAND, "band");
        graph.line("forecast", FORECAST, "forecast", 1.5f);
        graph.line("actual", ACTUAL, "actual", 1.5f);
        graph.line("capacity", CONSUMERS, String.format(Locale.ROOT, "consumers x %.1f msg/s", factor), 2f);
        boolean first = true;
        for (CapacityReport.Aberration aberration : report.aberrations()) {
            if (aberration.startEpochSecond() >= start && aberration.startEpochSecond() <= end) {
                graph.vrule(aberration.startEpochSecond(), ABERRATION, first ? "aberration" : null, 1.5f);
                first = false;
            }
        }
        long now = report.now().getEpochSecond();
        if (now >= start && now <= end) {
            graph.vrule(now, NOW, "now", new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {4f, 4f}, 0f));
        }
        return new RrdGraph(graph).getRrdGraphInfo();
    }

    /** What one consumer stands for on the rate's scale. */
    static double consumerFactor(CapacityReport report) {
        double decided = report.latest().map(ScalingDecision::consumerRate).orElse(Double.NaN);
        if (decided > 0) {
            return decided;
        }
        double maxRate = 0;
        double maxConsumers = 0;
        for (int t = 0; t < report.series().size(); t++) {
            if (report.series().rates()[t] > maxRate) {
                maxRate = report.series().rates()[t];
            }
            if (t < report.series().consumers().length && report.series().consumers()[t] > maxConsumers) {
                maxConsumers = report.series().consumers()[t];
            }
        }
        return maxRate > 0 && maxConsumers > 0 ? maxRate / maxConsumers : 1;
    }

    /** The picture cropped or padded (white) to exactly {@code width} × {@code height}. */
    private static byte[] fitted(byte[] png, int width, int height) throws IOException {
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage exact = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D canvas = exact.createGraphics();
        try {
            canvas.setColor(Color.WHITE);
            canvas.fillRect(0, 0, width, height);
            canvas.drawImage(drawn, 0, 0, null);
        } finally {
            canvas.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(exact, "png", out);
        return out.toByteArray();
    }

    /** The report's rows and forecast as values at any time the grapher asks for. */
    private static final class Series {

        private final CapacityReport report;
        private final long start;
        private final long step;
        private final long now;

        Series(CapacityReport report) {
            this.report = report;
            this.start = report.series().startEpochSecond();
            this.step = report.series().stepSeconds();
            this.now = report.nowIndex() < 0 ? Long.MIN_VALUE : report.series().time(report.nowIndex());
        }

        /** The row covering {@code time}: rows end at their time, so (time − start) / step, rounded up. */
        private int row(long time) {
            return (int) Math.floorDiv(time - start + step - 1, step);
        }

        private ForecastPoint point(long time) {
            int row = row(time);
            return row >= 0 && row <= report.nowIndex() ? report.points()[row] : null;
        }

        private CapacityReport.Forecast ahead(long time) {
            if (time <= now) {
                return null;
            }
            int h = (int) ((time - now + step - 1) / step);
            return h >= 1 && h <= report.ahead().size() ? report.ahead().get(h - 1) : null;
        }

        double actual(long time) {
            ForecastPoint point = point(time);
            return point == null ? Double.NaN : point.actual();
        }

        double prediction(long time) {
            return forecast(time, ForecastPoint::prediction, CapacityReport.Forecast::prediction);
        }

        double lower(long time) {
            return forecast(time, ForecastPoint::lower, CapacityReport.Forecast::lower);
        }

        double upper(long time) {
            return forecast(time, ForecastPoint::upper, CapacityReport.Forecast::upper);
        }

        /** What the forecast said of a past row, or says of a step after now. */
        private double forecast(long time, ToDoubleFunction<ForecastPoint> past,
                ToDoubleFunction<CapacityReport.Forecast> ahead) {
            ForecastPoint point = point(time);
            if (point != null) {
                return past.applyAsDouble(point);
            }
            CapacityReport.Forecast forecast = ahead(time);
            return forecast == null ? Double.NaN : ahead.applyAsDouble(forecast);
        }

        double consumers(long time) {
            int row = row(time);
            double[] consumers = report.series().consumers();
            return row >= 0 && row < consumers.length ? consumers[row] : Double.NaN;
        }
    }
}

package io.gamewire.admin.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.SyntheticTrace;
import io.gamewire.capacity.TraceSettings;
import io.gamewire.capacity.archive.UsageSeries;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The picture is a PNG of the size asked, whatever the legend and axes take. */
class CapacityGraphTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final String SERVICE = "halo.prod.stats";

    private static CapacityReport report() {
        UsageSeries series = CapacityFakes.periodic(SERVICE, 4, 7);
        Instant now = Instant.ofEpochSecond(series.time(series.size() - 1));
        return CapacityReport.compute(SERVICE, series, HoltWintersParameters.daily(Duration.ofMinutes(1)), 6 * 60,
                List.of(CapacityFakes.decision(SERVICE, now, 2, 4)));
    }

    @Test
    void drawsAPngOfTheAskedSize() throws Exception {
        CapacityReport report = report();
        long now = report.now().getEpochSecond();

        for (int[] size : new int[][] {{800, 300}, {400, 200}, {1200, 600}}) {
            byte[] png = CapacityGraph.png(report, now - 24 * 3600, now + 6 * 3600, size[0], size[1]);

            assertThat(Arrays.copyOf(png, 8)).containsExactly(PNG_SIGNATURE);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(size[0]);
            assertThat(image.getHeight()).isEqualTo(size[1]);
        }
    }

    /**
     * Draws docs/images/capacity-example.png (written to target/; copy it there when the picture changes):
     * three days of a synthetic 1 min trace with a spike and an outage on the last day.
     */
    @Test
    void drawsTheDocumentationsExample() throws Exception {
        TraceSettings settings = new TraceSettings(16, Duration.ofMinutes(1), 3, 100, 0.4, 0.2, 0.01, 0.05, 1, 1, 2,
                30, 60, 1.8);
        SyntheticTrace trace = SyntheticTrace.generate(settings);
        double[] consumers = new double[trace.rates().length];
        for (int t = 0; t < consumers.length; t++) {
            consumers[t] = Math.max(2, Math.min(8, Math.ceil(1.3 * trace.rates()[Math.max(0, t - 5)] / 50)));
        }
        long start = CapacityFakes.MIDNIGHT + 60;
        UsageSeries series = new UsageSeries(SERVICE, start, 60, trace.rates(), consumers);
        Instant now = Instant.ofEpochSecond(series.time(series.size() - 1));
        CapacityReport report = CapacityReport.compute(SERVICE, series,
                HoltWintersParameters.daily(Duration.ofMinutes(1)).withDelta(3), 6 * 60,
                List.of(CapacityFakes.decision(SERVICE, now, 4, 6)));

        byte[] png = CapacityGraph.png(report, now.getEpochSecond() - 24 * 3600, now.getEpochSecond() + 6 * 3600,
                900, 360);

        Path file = Path.of("target", "capacity-example.png");
        Files.write(file, png);
        assertThat(report.aberrations()).isNotEmpty();
        assertThat(Files.size(file)).isGreaterThan(1000);
    }

    @Test
    void theConsumersStandForWhatOneSustainsPerTheLatestDecision() {
        assertThat(CapacityGraph.consumerFactor(report())).isEqualTo(50.0);
    }
}

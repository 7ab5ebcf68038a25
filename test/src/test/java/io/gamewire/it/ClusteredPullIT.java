package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two gamewire instances (one in a process of its own) on one MySQL database share Quartz's
 * clustered JDBC job store: a pull scheduled every second on both is fired about once a second in
 * all, not once per instance. Real services only: the embedded stack's store is in memory.
 */
@Tag("services")
class ClusteredPullIT {

    @Test
    void twoInstancesFireAPullOncePerSchedule() throws Exception {
        PublisherApi publisher = PublisherApi.serving("[]");
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            gw.writeTitle(gw.titleYamlWithPull("pulls-every-second", publisher.url()));
            Process other = gw.startWithPeer(GamewireUnderTest.freePort());
            try {
                int before = publisher.requestCount();
                long started = System.nanoTime();
                await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                double seconds = (System.nanoTime() - started) / 1e9;
                int fired = publisher.requestCount() - before;

                // once a second in all, give or take a misfire; two per second if each instance fired
                assertThat(fired).as("runs in %.1f s", seconds).isBetween((int) seconds - 3, (int) seconds + 3);
            } finally {
                // before this instance closes, while the peer's database is still there: the peer's stop
                // is then an ordinary one (one whose database is gone is PullStopIT's)
                GamewireUnderTest.stopProcess(other);
            }
        } finally {
            publisher.close();
        }
    }
}

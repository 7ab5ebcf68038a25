package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import io.gamewire.testsupport.TestSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queue watch's management API takes the broker's TLS files for an https URL, read at the
 * start, so a missing CA stops it naming the setting rather than failing every poll.
 */
class QueuePollingSettingsTest {

    private static AreaSettings.QueuePolling polling(String url) {
        Map<String, String> values = new HashMap<>(Map.of("gamewire.ops.queue-poll-interval-ms", "5000",
                "gamewire.ops.rabbitmq-management.url", url, "gamewire.ops.rabbitmq-management.user", "ops",
                "gamewire.ops.rabbitmq-management.password", "pw", "gamewire.broker.tls", "false",
                "gamewire.broker.tls.ca", "/no/such/rabbit-ca.pem"));
        return AreaSettings.queuePolling(TestSettings.of(values));
    }

    @Test
    void anHttpsUrlReadsTheBrokersCaAtTheStartAndAMissingOneStopsItNamingTheSetting() {
        assertThatThrownBy(() -> polling("https://rabbit.internal:15671"))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("gamewire.broker.tls.ca")
                .hasMessageContaining("/no/such/rabbit-ca.pem");
    }

    @Test
    void anHttpUrlOrNoneNeedsNoTls() {
        assertThat(polling("http://127.0.0.1:15672").managementTls()).isNull();
        assertThat(polling("").managementTls()).isNull();
    }
}

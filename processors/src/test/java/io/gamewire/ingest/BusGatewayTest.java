package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EventSource;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.titles.ApiKeyRing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What admit stamps on an envelope, what it refuses a client, and who is told of refusals. */
class BusGatewayTest {

    private static final String KEY = ApiKeyRing.sha256(TestTitles.SERVERS_KEY);

    private BusGateway gateway;
    private final List<String> refusals = new ArrayList<>();

    @BeforeEach
    void gateway(@TempDir Path dir) throws Exception {
        // admit publishes nothing: no publisher or reply client is needed
        gateway = new BusGateway(new EventAdmission(TestTitles.registry(dir), new KeyRateLimits(() -> 0L),
                new JsonPayloads(new ObjectMapper())), null, null, Duration.ofSeconds(1));
        gateway.onRefusal((routingKey, refusal) -> refusals.add(routingKey + " " + refusal));
    }

    private static Envelope event(String routingKey, Map<String, String> attributes) {
        return new Envelope(FrameType.EVENT, MessageIds.next(), null, 1L, "application/json", routingKey, attributes,
                ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAdmittedEventCarriesItsSourceAndWhenItWasReceivedBesideTheClientsAttributes() {
        long before = System.currentTimeMillis();

        Envelope admitted = gateway.admit(KEY, EventSource.TCP, event("halo.prod.stats.end", Map.of("trace", "t-1")));

        assertThat(admitted.attributes()).containsEntry(ReservedAttributes.SOURCE, "tcp").containsEntry("trace", "t-1");
        assertThat(Long.parseLong(admitted.attributes().get(ReservedAttributes.RECEIVED_AT)))
                .isBetween(before, System.currentTimeMillis());
        assertThat(gateway.admit(KEY, EventSource.HTTP, event("halo.prod.stats.end", Map.of())).attributes())
                .containsEntry(ReservedAttributes.SOURCE, "http");
        assertThat(refusals).isEmpty();
    }

    @Test
    void aClientCannotSetAReservedAttributeItselfAndTheRefusalIsTold() {
        for (String reserved : List.of(ReservedAttributes.SOURCE, ReservedAttributes.RECEIVED_AT,
                ReservedAttributes.REPLAY_OF, "gw-anything")) {
            assertThatThrownBy(() -> gateway.admit(KEY, EventSource.HTTP,
                    event("halo.prod.stats.end", Map.of(reserved, "replay"))))
                    .isInstanceOfSatisfying(RefusedException.class,
                            e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_EVENT))
                    .hasMessageContaining("attribute '" + reserved + "' of halo.prod.stats.end is reserved");
        }
        assertThat(refusals).hasSize(4).allMatch(line -> line.equals("halo.prod.stats.end INVALID_EVENT"));
    }

    @Test
    void everyAdmissionRefusalIsToldWithTheKeyAsSentAndItsCode() {
        assertThatThrownBy(() -> gateway.admit(null, EventSource.TCP, event("halo.prod.stats.end", Map.of())))
                .isInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> gateway.admit(KEY, EventSource.TCP, event("halo.prod.nowhere.end", Map.of())))
                .isInstanceOf(RefusedException.class);

        assertThat(refusals).containsExactly("halo.prod.stats.end UNKNOWN_KEY", "halo.prod.nowhere.end UNKNOWN_SERVICE");
    }

    @Test
    void aFailingListenerDoesNotChangeTheClientsAnswer() {
        gateway.onRefusal((routingKey, refusal) -> {
            throw new IllegalStateException("listener broken");
        });

        assertThatThrownBy(() -> gateway.admit(null, EventSource.TCP, event("halo.prod.stats.end", Map.of())))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.UNKNOWN_KEY));
    }
}

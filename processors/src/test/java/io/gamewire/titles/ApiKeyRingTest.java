package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.ApiKeyRing.Outcome;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.TitleDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped halo and kart titles' keys: 'halo-demo-key', 'kart-demo-key' and HALO_WEBSITE_KEY. */
class ApiKeyRingTest {

    private static final TitleFileParser PARSER = new TitleFileParser();
    private final List<TitleDefinition> titles = List.of(
            PARSER.parse(Path.of("../config/titles/halo.yaml")).definition(),
            PARSER.parse(Path.of("../config/titles/kart.yaml")).definition());
    private final ApiKeyRing ring = ApiKeyRing.of(titles, Map.of("HALO_WEBSITE_KEY", "web-secret")::get);

    private ApiKeyRing.Decision decide(String key, String routingKey, Access access) {
        return ring.authorize(key, RoutingKey.parse(routingKey), access);
    }

    @Test
    void aKeyMayDoWhatItsTitleFileAllows() {
        ApiKeyRing.Decision decision = decide("halo-demo-key", "halo.prod.stats.match_end", Access.PUBLISH);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.keyName()).isEqualTo("match-servers");
        assertThat(decision.rateLimitPerSecond()).isEqualTo(100000);
        assertThat(decide("web-secret", "halo.prod.players.get", Access.QUERY).allowed()).isTrue();
    }

    @Test
    void aKeyOfOneTitleNeverReachesAnother() {
        ApiKeyRing.Decision decision = decide("kart-demo-key", "halo.prod.stats.match_end", Access.PUBLISH);

        assertThat(decision.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(decision.reason()).isEqualTo("key 'relay' belongs to title 'kart', not 'halo'");
    }

    @Test
    void environmentsAndAccessAreEnforced() {
        assertThat(decide("web-secret", "halo.staging.players.get", Access.QUERY).reason())
                .isEqualTo("key 'website' may not use environment 'staging' (allowed: prod)");
        assertThat(decide("web-secret", "halo.prod.stats.match_end", Access.PUBLISH).reason())
                .isEqualTo("key 'website' may not publish");
    }

    @Test
    void aPresentedKeyHashesAsTitleFilesStoreIt() {
        // the SHA-256 of "abc" (FIPS 180-2 test vector), remembered or not
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(ApiKeyRing.sha256("abc")).isEqualTo(abc);
        assertThat(ring.sha256OfPresented("abc")).isEqualTo(abc);
        assertThat(ring.sha256OfPresented("abc")).isEqualTo(abc);
        assertThat(ring.sha256OfPresented("abd")).isNotEqualTo(abc).isEqualTo(ApiKeyRing.sha256("abd"));
        // a title's key, remembered, hashes the same the second time
        assertThat(ring.sha256OfPresented("halo-demo-key")).isEqualTo(ApiKeyRing.sha256("halo-demo-key"));
        assertThat(ring.sha256OfPresented("halo-demo-key")).isEqualTo(ApiKeyRing.sha256("halo-demo-key"));
    }

    @Test
    void unknownAndMissingKeysAreUnknown() {
        assertThat(decide("guess", "halo.prod.stats.match_end", Access.PUBLISH).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
        assertThat(decide("", "halo.prod.stats.match_end", Access.PUBLISH).reason()).isEqualTo("no API key given");
    }

    @Test
    void aKeyWhoseVariableIsUnsetIsDisabled() {
        ApiKeyRing withoutEnv = ApiKeyRing.of(titles, name -> null);

        assertThat(withoutEnv.authorize("web-secret", RoutingKey.parse("halo.prod.players.get"), Access.QUERY).outcome())
                .isEqualTo(Outcome.UNKNOWN_KEY);
    }
}

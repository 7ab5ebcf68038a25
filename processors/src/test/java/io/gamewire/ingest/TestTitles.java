package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.testsupport.TestRegistries;
import io.gamewire.testsupport.TitleFixtures;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A title registry holding one small title, {@code halo}, for translator tests. */
public final class TestTitles {

    /** The key of {@code servers}, which may publish and query on prod (rate limit 1000/s). */
    public static final String SERVERS_KEY = "test-key";
    /** The key of {@code staging-only}, which may publish on staging only. */
    public static final String STAGING_KEY = "staging-key";

    /** Title halo ({@code titles/halo-keys.yaml}) with the hashes of both keys. */
    public static final String HALO = TitleFixtures.read("halo-keys", Map.of(
            "servers-sha256", ApiKeyRing.sha256(SERVERS_KEY),
            "staging-only-sha256", ApiKeyRing.sha256(STAGING_KEY)));

    private TestTitles() {
    }

    public static TitleRegistry registry(Path dir) throws IOException {
        Files.writeString(dir.resolve("halo.yaml"), HALO);
        TitleRegistry registry = TestRegistries.applyingNothing(dir);
        assertThat(registry.reload().added()).containsExactly("halo");
        return registry;
    }
}

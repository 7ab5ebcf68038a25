package io.gamewire.sinks.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvStoreKvStoreTest extends KvStoreContract {

    @TempDir
    static Path dir;

    @Override
    protected KvStore open() {
        return new MvStoreKvStore(dir.resolve("kv/contract.mv.db"));
    }

    @Test
    void recordsSurviveAReopen() {
        Path file = dir.resolve("kv/reopen.mv.db");
        try (KvStore first = new MvStoreKvStore(file)) {
            first.merge("player:9", Map.of("name", "cy"));
        }
        try (KvStore second = new MvStoreKvStore(file)) {
            assertThat(second.get("player:9")).containsEntry("name", "cy");
        }
    }

    @Test
    void aClosedStoreFailsItsPingWithThePath() {
        KvStore closed = new MvStoreKvStore(dir.resolve("kv/closed.mv.db"));
        closed.close();

        assertThatThrownBy(closed::ping)
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("closed.mv.db is closed");
    }
}

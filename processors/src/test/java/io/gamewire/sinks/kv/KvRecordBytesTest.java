package io.gamewire.sinks.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvRecordBytesTest {

    @Test
    void aRecordComesBackAsItWent() {
        Map<String, String> fields = Map.of("name", "Zoë 🎮", "empty", "", "long", "x".repeat(70_000));

        assertThat(KvRecordBytes.decode("k", KvRecordBytes.encode(fields))).isEqualTo(fields);
        assertThat(KvRecordBytes.decode("k", KvRecordBytes.encode(Map.of()))).isEmpty();
    }

    @Test
    void theLayoutIsACountThenLengthPrefixedUtf8() {
        assertThat(KvRecordBytes.encode(Map.of("a", "é")))
                .containsExactly(0, 0, 0, 1, 0, 0, 0, 1, 'a', 0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9);
    }

    @Test
    void damagedBytesNameTheKey() {
        byte[] bytes = KvRecordBytes.encode(Map.of("name", "ada"));

        assertThatThrownBy(() -> KvRecordBytes.decode("player:1", Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("'player:1'").hasMessageContaining("damaged");
        assertThatThrownBy(() -> KvRecordBytes.decode("player:1", Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("1 bytes after the last field");
        assertThatThrownBy(() -> KvRecordBytes.decode("k", new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .as("a field count the bytes cannot hold").isInstanceOf(KvStoreException.class)
                .hasMessageContaining("fields in 4 bytes");
        assertThatThrownBy(() -> KvRecordBytes.decode("k", new byte[] {0, 0, 0, 1, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0}))
                .as("a negative field length").isInstanceOf(KvStoreException.class)
                .hasMessageContaining("a field of -16777216 bytes");
    }
}

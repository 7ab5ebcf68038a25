package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check reads a secret back out of a byte dump whose rows split it. */
class SecretsInLogsCheckTest {

    @Test
    void aSecretSplitOverTheRowsOfANettyByteDumpIsFound() {
        String frame = "GWP\u0001 AUTH key-0123456789abcdef0123 client fault-load/1";
        List<String> log = new ArrayList<>(List.of("12:00:00.000 WARN  [io] something was dumped:"));
        log.addAll(ByteBufUtil.prettyHexDump(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)))
                .lines().toList());
        log.add("12:00:00.001 INFO  [io] the next line");

        assertThat(String.join("\n", log)).doesNotContain("key-0123456789abcdef0123"); // split over rows
        assertThat(SecretsInLogsCheck.dumps(log)).hasSize(1).hasEntrySatisfying(5,
                bytes -> assertThat(bytes).contains("key-0123456789abcdef0123"));
    }
}

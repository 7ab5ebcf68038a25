package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<ServerSentEvent> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add, comments::add);

    private void read(String stream) {
        stream.lines().forEach(parser::line);
    }

    @Test
    void eventsEndAtABlankLineAndTheirDataLinesAreJoined() {
        read("event: message\nid: m1\ndata: {\"a\":\ndata: 1}\n\nevent: dropped\ndata: {\"dropped\":2}\n\n");
        assertThat(events).containsExactly(new ServerSentEvent("message", "m1", "{\"a\":\n1}"),
                new ServerSentEvent("dropped", null, "{\"dropped\":2}"));
    }

    @Test
    void commentsAreSeparateAndAnEventWithoutDataIsNotDispatched() {
        read(": tail amq.gen-1 bound to halo.#\n\n: keep-alive\n\nevent: message\n\ndata:no-space\n\n");
        assertThat(comments).containsExactly("tail amq.gen-1 bound to halo.#", "keep-alive");
        // no event: field means "message"; only one space after the colon is dropped
        assertThat(events).containsExactly(new ServerSentEvent("message", null, "no-space"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        read("retry: 1000\nevent: message\ndata: x\n\n");
        assertThat(events).containsExactly(new ServerSentEvent("message", null, "x"));
    }
}

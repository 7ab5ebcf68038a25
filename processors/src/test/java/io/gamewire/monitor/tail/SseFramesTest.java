package io.gamewire.monitor.tail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseFramesTest {

    @Test
    void anEventHasItsTypeIdAndOneDataLineEndingWithABlankLine() {
        assertThat(SseFrames.event("message", "id-1", "{\"a\":1}"))
                .isEqualTo("event: message\nid: id-1\ndata: {\"a\":1}\n\n");
    }

    @Test
    void anEventWithoutIdHasNoIdField() {
        assertThat(SseFrames.event("dropped", null, "{\"dropped\":3,\"totalDropped\":5}"))
                .isEqualTo("event: dropped\ndata: {\"dropped\":3,\"totalDropped\":5}\n\n");
    }

    @Test
    void lineBreaksInTheDataBecomeDataLinesOfTheirOwn() {
        // a bare line break would end the field; the client joins the data lines again with \n
        assertThat(SseFrames.event("message", null, "one\ntwo\r\nthree\rfour"))
                .isEqualTo("event: message\ndata: one\ndata: two\ndata: three\ndata: four\n\n");
    }

    @Test
    void anIdOrTypeCannotStartAFieldOfItsOwn() {
        assertThat(SseFrames.event("message\ndata: x", "a\nb", "{}"))
                .isEqualTo("event: message data: x\nid: a b\ndata: {}\n\n");
    }

    @Test
    void aCommentIsOneLineStartingWithAColon() {
        assertThat(SseFrames.comment("keep-alive")).isEqualTo(": keep-alive\n\n");
        assertThat(SseFrames.comment("two\nlines")).isEqualTo(": two lines\n\n");
    }
}

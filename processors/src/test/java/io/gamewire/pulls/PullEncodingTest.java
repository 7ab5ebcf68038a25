package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * Bodies in the wrong encoding: a charset other than UTF-8 is refused naming it; bytes that are not
 * UTF-8 fail naming the byte, never reaching the bus as other text; a gzip body that is not gzip
 * fails the page. Each message names the URL.
 */
class PullEncodingTest extends PullTestSupport {

    /** {@code before}, the raw {@code bytes}, then {@code after}. */
    private static byte[] body(String before, int[] bytes, String after) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : bytes) {
            body.write(b);
        }
        body.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private PullDefinition pull() {
        return new PullBuilder(url("/leaderboard")).build();
    }

    @Test
    void aDeclaredCharsetOtherThanUtf8IsRefusedNamingItAndTheUrl() throws Exception {
        server.enqueue(bytes("application/json; charset=ISO-8859-1", body("[{\"id\": \"caf", new int[] {0xE9},
                "\"}]")).build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1: " + url("/leaderboard") + " declares"
                + " charset=ISO-8859-1; gamewire reads a publisher's JSON as UTF-8 only (RFC 8259), so the publisher"
                + " must send UTF-8");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void utf8InAnySpellingAndAsciiAreTaken() throws Exception {
        String[] types = {"application/json; charset=\"UTF-8\"", "application/json;charset=utf8",
                "application/json; Charset=US-ASCII"};
        for (int i = 0; i < types.length; i++) {
            server.enqueue(bytes(types[i], ("[{\"id\": \"café " + i + "\"}]").getBytes(StandardCharsets.UTF_8))
                    .build());

            assertThat(runner.run(TITLE, pull()).failure()).as(types[i]).isNull();
        }
        assertThat(publisher.ids()).containsExactly("café 0", "café 1", "café 2");
    }

    @Test
    void anIso88591ByteInAJsonPageFailsTheRunNamingUrlAndByte() throws Exception {
        server.enqueue(bytes("application/json", body("[{\"id\": \"a\"}, {\"id\": \"caf", new int[] {0xE9}, "\"}]"))
                .build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/leaderboard") + "): the body is"
                + " not UTF-8 at byte 25 (0xE9); a publisher's JSON must be UTF-8 (RFC 8259)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void anOverlongFormJacksonWouldReadAsASlashFailsTheRunInsteadOfReachingTheBus() throws Exception {
        // C0 AF is '/' written in two bytes, which UTF-8 forbids; Jackson reads it as '/'
        server.enqueue(bytes("application/json", body("[{\"id\": \"a", new int[] {0xC0, 0xAF}, "b\"}]")).build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/leaderboard") + "): the body is"
                + " not UTF-8 at byte 10 (0xC0)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void anEncodedSurrogateInAnNdjsonLineFailsThePageNamingTheByteAndIsNotPublished() throws Exception {
        // ED A0 80 would be U+D800, half a pair, which Jackson takes and which would be stored as '?'
        server.enqueue(bytes("application/x-ndjson", body("{\"id\": 1}\n{\"id\": 2, \"name\": \"", new int[] {0xED,
                0xA0, 0x80}, "\"}\n")).build());

        PullResult result = runner.run(TITLE, new PullBuilder(url("/export")).ndjson().build());

        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/export") + "): the body is not"
                + " UTF-8 at byte 29 (0xED 0xA0 0x80); a publisher's JSON must be UTF-8 (RFC 8259); the ");
        assertThat(publisher.ids()).doesNotContain("2");
    }

    @Test
    void aDetailThatIsNotUtf8DeadLettersItsItemNamingUrlAndByte() throws Exception {
        server.enqueue(json("[\"x\"]"));
        server.enqueue(bytes("application/json", body("{\"name\": \"M", new int[] {0xFC}, "ller\"}")).build());
        PullDefinition pull = new PullBuilder(url("/list")).emit("$", "$").follow(url("/m/") + "{$}", false, 1).build();

        PullResult result = runner.run(TITLE, pull);

        assertThat(result.failure()).isNull();
        assertThat(publisher.deadLettered).extracting(RecordingPublisher.DeadLettered::reason).containsExactly(
                "pull halo/leaderboard, page 1, item at index 0 (id x): its detail cannot be had: " + url("/m/x")
                        + ": the body is not UTF-8 at byte 11 (0xFC); a publisher's JSON must be UTF-8 (RFC 8259)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aGzipBodyThatIsNotGzipFailsThePageNamingTheUrl() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body("[{\"id\": \"a\"}]").build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).isEqualTo("halo/leaderboard: page 1 (" + url("/leaderboard") + "): the gzip"
                + " header could not be read: Not in GZIP format; nothing of the page was published (a JSON document is"
                + " published only once it parsed whole)");
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aGzipBodyBrokenAfterItsHeaderFailsThePageNamingTheUrl() throws Exception {
        byte[] zipped = gzipped("[{\"id\": \"a\"}, {\"id\": \"b\"}]".getBytes(StandardCharsets.UTF_8)).readByteArray();
        for (int i = 10; i < zipped.length - 8; i++) {
            zipped[i] = (byte) 0xFF; // the deflate data, between the 10-byte header and the 8-byte trailer
        }
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .addHeader("Content-Encoding", "gzip").body(new okio.Buffer().write(zipped)).build());

        PullResult result = runner.run(TITLE, pull());

        assertThat(result.failure()).startsWith("halo/leaderboard: page 1 (" + url("/leaderboard") + "): reading the"
                + " body failed").contains("ZipException");
        assertThat(publisher.published).isEmpty();
    }
}

package io.gamewire.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a bare socket, byte for byte as a slow or odd client sends it. */
final class RawHttp {

    private RawHttp() {
    }

    /** A connection to 127.0.0.1:{@code port} whose reads fail the test after 10 s without a byte. */
    static Socket connect(int port) throws IOException {
        Socket client = new Socket("127.0.0.1", port);
        client.setSoTimeout(10_000);
        return client;
    }

    static void send(Socket client, String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    static String readUntilClosed(Socket client) throws IOException {
        return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** One response with a Content-Length body, leaving the connection open. */
    static String readResponse(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the connection closed inside the head: %s", head).isNotNegative();
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(headers.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}

package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the commands' admin client says when the call itself fails (the answers are ConsoleTest's and the ITs'). */
class AdminClientTest {

    @Test
    void httpsToAServerWithoutTlsSaysToUsePlainHttp() throws Exception {
        try (ServerSocket plaintext = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerInPlaintext(plaintext));
            server.setDaemon(true);
            server.start();
            AdminClient client = new AdminClient(URI.create("https://127.0.0.1:" + plaintext.getLocalPort() + "/"),
                    "token");

            assertThatThrownBy(() -> client.get("admin/titles"))
                    .isInstanceOf(AdminClient.AdminException.class)
                    .hasMessageStartingWith("TLS to https://127.0.0.1:" + plaintext.getLocalPort() + "/ failed: ")
                    .hasMessageContaining("The server answers without TLS: is gamewire.http.tls set where it runs?")
                    .hasMessageContaining("--url http://<host>:<port>");
        }
    }

    /**
     * A server that speaks HTTP without TLS, as a gamewire without gamewire.http.tls does: to every
     * connection the client makes (it may try more than one), until the test closes it.
     */
    private static void answerInPlaintext(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.getInputStream().read(new byte[512]);
            } catch (IOException e) {
                // the client went away, or the test closed the server
            }
        }
    }
}

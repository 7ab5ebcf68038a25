package io.gamewire.stack;

import io.gamewire.config.EnvironmentNames;
import io.gamewire.config.StartupException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails the start early, and clearly, when a port gamewire must bind is taken. */
public final class PortCheck {

    private PortCheck() {
    }

    /**
     * Binds and releases {@code host:port}.
     *
     * @param setting the property that changes this port, named in the error
     * @throws StartupException naming the port, what it is for and the setting
     */
    public static void requireFree(String what, String host, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as the real servers do (Vert.x, Qpid): connections of an earlier run in TIME_WAIT
            // must not count as "in use", a listening socket still does
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupException(what + " port " + port + " on " + host + " is already in use ("
                    + e.getMessage() + "); set " + setting + " (environment variable "
                    + EnvironmentNames.of(setting) + ") to a free port");
        }
    }
}

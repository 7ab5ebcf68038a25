package io.gamewire.it;

import io.gamewire.testsupport.RealServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * How many items the test's memcached servers have evicted since they started (the {@code
 * evictions} line of memcached's {@code stats}). A fault scenario writes some 200,000 cache
 * entries: a memcached too small for that evicts the newest small entries of a slab class that got
 * few pages, which the cache check would otherwise take for lost writes.
 */
final class MemcachedEvictions {

    private MemcachedEvictions() {
    }

    /** The sum over {@link RealServices#MEMCACHED_SERVERS}. */
    static long total() {
        long sum = 0;
        for (String server : RealServices.MEMCACHED_SERVERS.trim().split("[ ,]+")) {
            String[] hostPort = server.split(":");
            sum += of(hostPort[0], Integer.parseInt(hostPort[1]));
        }
        return sum;
    }

    private static long of(String host, int port) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
                if (line.startsWith("STAT evictions ")) {
                    return Long.parseLong(line.substring("STAT evictions ".length()).trim());
                }
            }
            throw new IllegalStateException("memcached at " + host + ":" + port + " sent no 'STAT evictions' line");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the stats of memcached at " + host + ":" + port + ": " + e, e);
        }
    }
}

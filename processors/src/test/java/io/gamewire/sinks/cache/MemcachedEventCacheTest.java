package io.gamewire.sinks.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.RealServices;
import java.net.ServerSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("services")
class MemcachedEventCacheTest extends EventCacheContract {

    @Override
    protected EventCache open() {
        String first = RealServices.MEMCACHED_SERVERS.split("[ ,]")[0];
        RealServices.requireReachable("memcached", first.split(":")[0], Integer.parseInt(first.split(":")[1]));
        return new MemcachedEventCache(RealServices.MEMCACHED_SERVERS, 2000, RealServices.uniqueName("gwtest") + ":");
    }

    @Test
    void aPoolWithAnUnreachableServerFailsPing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (EventCache partial = new MemcachedEventCache(
                RealServices.MEMCACHED_SERVERS + " 127.0.0.1:" + closedPort, 500, "x:")) {
            assertThatThrownBy(partial::ping)
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("servers reachable");
        }
    }
}

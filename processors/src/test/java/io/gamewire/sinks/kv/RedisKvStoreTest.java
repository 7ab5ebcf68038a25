package io.gamewire.sinks.kv;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.testsupport.RealServices;
import java.net.ServerSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("services")
class RedisKvStoreTest extends KvStoreContract {

    @Override
    protected KvStore open() {
        RealServices.requireReachable("Redis", RealServices.REDIS_HOST, RealServices.REDIS_PORT);
        return new RedisKvStore(RealServices.REDIS_HOST, RealServices.REDIS_PORT, null, 2000,
                RealServices.uniqueName("gwtest") + ":");
    }

    @Test
    void anUnreachableRedisFailsPingNamingTheAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (KvStore unreachable = new RedisKvStore("127.0.0.1", closedPort, null, 500, "x:")) {
            assertThatThrownBy(unreachable::ping)
                    .isInstanceOf(KvStoreException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort);
        }
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.ingest.RedisKeyBuckets;
import io.gamewire.sinks.kv.RedisConnection;
import io.gamewire.testsupport.RealServices;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * An API key's rate limit held for the whole cluster (gamewire.rate-limits.shared, the prod
 * profile's), on the real Redis: two instances together admit the key's rate over HTTP; and a
 * Redis that goes away and comes back.
 */
@Tag("services")
class SharedRateLimitIT {

    @Test
    void twoInstancesTogetherAdmitAKeysRate() throws Exception {
        Process other = null;
        try (GamewireUnderTest gw = new GamewireUnderTest()) {
            int peerPort = GamewireUnderTest.freePort();
            // the peer runs in a process of its own, on the same title files, database and key prefix
            other = gw.startWithPeer(peerPort);
            String path = "/v1/events/" + gw.services.get(0) + ".end";
            List<Integer> ports = List.of(gw.httpPort, peerPort);

            // warm both up with the unlimited key, so the measured seconds are spent on requests
            for (int i = 0; i < 20; i++) {
                assertThat(post(gw, ports.get(i % 2), path, gw.apiKey).statusCode()).isEqualTo(202);
            }

            int accepted = 0;
            List<String> refusedBy = new ArrayList<>();
            long seconds = 5;
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                int port = ports.get(i % 2);
                HttpResponse<String> answer = post(gw, port, path, gw.slowKey);
                if (answer.statusCode() == 202) {
                    accepted++;
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
                    refusedBy.add(Integer.toString(port));
                }
            }

            // the slow key's 2/s: a full bucket (2) and 5 s of refill (10) in all; 24 if each instance
            // had a bucket of its own (an instance may take one token ahead of Redis, then owes it)
            System.out.printf("two instances, slow key (2/s), %d s: %d accepted, %d refused%n", seconds, accepted,
                    refusedBy.size());
            assertThat(accepted + refusedBy.size()).as("requests sent, enough to go over the limit on each instance")
                    .isGreaterThan(50);
            assertThat(accepted).isBetween(9, 16);
            assertThat(refusedBy).as("both instances refuse").contains(Integer.toString(gw.httpPort),
                    Integer.toString(peerPort));
        } finally {
            if (other != null) {
                GamewireUnderTest.stopProcess(other);
            }
        }
    }

    private static HttpResponse<String> post(GamewireUnderTest gw, int port, String path, String key) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCutRedisLeavesEachInstanceLimitingOnItsOwnLogsItOnceAndSharesAgainOnceBack() throws Exception {
        RealServices.requireReachable("Redis", RealServices.REDIS_HOST, RealServices.REDIS_PORT);
        String prefix = RealServices.uniqueName("gwtest") + ":";
        Logger logger = (Logger) LoggerFactory.getLogger(KeyRateLimits.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        KeyRateLimits limits = null;
        try (TcpProxy redis = new TcpProxy(RealServices.REDIS_HOST, RealServices.REDIS_PORT);
             JedisPooled direct = new JedisPooled(RealServices.REDIS_HOST, RealServices.REDIS_PORT)) {
            limits = KeyRateLimits.shared(RedisKeyBuckets.connect(RedisConnection.plaintext("127.0.0.1", redis.port(), null), 200, prefix),
                    Duration.ofMillis(300));
            KeyRateLimits instance = limits;
            assertThat(instance.acquire("halo/servers", 1000)).isZero();
            assertThat(instance.sharedNow()).isTrue();

            redis.cut();
            await().atMost(Duration.ofSeconds(5)).until(() -> instance.acquire("halo/servers", 1000) == 0
                    && !instance.sharedNow());
            // events go on while Redis stays away, through several retries, limited by the local bucket
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            int refused = 0;
            while (System.nanoTime() < end) {
                refused += instance.acquire("halo/servers", 1000) == 0 ? 0 : 1;
            }
            assertThat(refused).as("the local bucket refuses beyond 1000/s").isPositive();

            redis.restore();
            await().atMost(Duration.ofSeconds(5)).until(() -> instance.acquire("halo/servers", 1000) >= 0
                    && instance.sharedNow());
            assertThat(direct.exists(prefix + RedisKeyBuckets.KEY_PART + "halo/servers:1000")).isTrue();

            List<String> warnings = logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).as("one warning for the outage").hasSize(1);
            assertThat(warnings.get(0)).contains("127.0.0.1:" + redis.port(), "on its own");
            assertThat(logged.list.stream().filter(event -> event.getLevel() == Level.INFO)
                    .map(ILoggingEvent::getFormattedMessage)).anyMatch(message -> message.contains("answers again"));
        } finally {
            logger.detachAppender(logged);
            if (limits != null) {
                limits.close();
            }
            try (JedisPooled direct = new JedisPooled(RealServices.REDIS_HOST, RealServices.REDIS_PORT)) {
                direct.keys(prefix + "*").forEach(direct::del);
            }
        }
    }
}

package io.gamewire.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    /** The test's stand-in for platform-http's peer address header. */
    private static final String PEER = "peer";

    private final ClientAddresses socketOnly = ClientAddresses.socketOnly(ClientAddressesTest::peer);
    private final ClientAddresses behindProxies = new ClientAddresses(
            ClientAddresses.parseTrusted("10.0.0.0/8, 192.0.2.7 ,::1"), ClientAddressesTest::peer);

    @Test
    void withoutTrustedProxiesTheSocketsPeerCountsAndXForwardedForIsIgnored() {
        assertThat(socketOnly.of(request("203.0.113.5", "198.51.100.1"))).isEqualTo("203.0.113.5");
        assertThat(socketOnly.of(request("10.1.2.3", "198.51.100.1"))).isEqualTo("10.1.2.3");
        assertThat(socketOnly.of(request("0:0:0:0:0:0:0:1", null))).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(socketOnly.of(request(null, "198.51.100.1"))).isNull();
    }

    @Test
    void aTrustedProxysXForwardedForNamesTheClientItSaw() {
        assertThat(behindProxies.of(request("10.1.2.3", "198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(behindProxies.of(request("192.0.2.7", "198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(behindProxies.of(request("::1", "2001:db8::5"))).isEqualTo("2001:db8:0:0:0:0:0:5");
    }

    @Test
    void onlyTheEntryTheNearestTrustedProxyWroteIsBelievedNotWhatTheClientPutInFrontOfIt() {
        // the client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw
        assertThat(behindProxies.of(request("10.1.2.3", "1.1.1.1, 198.51.100.1"))).isEqualTo("198.51.100.1");
        // two trusted proxies in a row: the first address neither of them is
        assertThat(behindProxies.of(request("10.1.2.3", "1.1.1.1, 198.51.100.1, 10.9.9.9"))).isEqualTo("198.51.100.1");
        // the header sent twice: the entries of both, in order
        Exchange twice = request("10.1.2.3", null);
        twice.getMessage().setHeader(ClientAddresses.FORWARDED_FOR, List.of("1.1.1.1", "198.51.100.1"));
        assertThat(behindProxies.of(twice)).isEqualTo("198.51.100.1");
    }

    @Test
    void aPeerThatIsNoTrustedProxyCannotNameAnotherClient() {
        assertThat(behindProxies.of(request("203.0.113.5", "10.1.2.3"))).isEqualTo("203.0.113.5");
    }

    @Test
    void entriesWithPortsOrBracketsAreAddressesAndOneThatIsNoneCountsAsTheProxy() {
        assertThat(behindProxies.of(request("10.1.2.3", "198.51.100.1:4711"))).isEqualTo("198.51.100.1");
        assertThat(behindProxies.of(request("10.1.2.3", "[2001:db8::5]:443"))).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(behindProxies.of(request("10.1.2.3", "unknown"))).isEqualTo("10.1.2.3");
        assertThat(behindProxies.of(request("10.1.2.3", "198.51.100.1, unknown, 10.0.0.9"))).isEqualTo("10.0.0.9");
        // nothing but trusted proxies, or no header: the farthest proxy
        assertThat(behindProxies.of(request("10.1.2.3", "10.4.4.4"))).isEqualTo("10.4.4.4");
        assertThat(behindProxies.of(request("10.1.2.3", null))).isEqualTo("10.1.2.3");
    }

    @Test
    void literalsAreParsedWithoutLookingUpAName() {
        assertThat(ClientAddresses.literal("192.0.2.1")).isNotNull();
        assertThat(ClientAddresses.literal("2001:db8::1")).isNotNull();
        assertThat(ClientAddresses.literal("::ffff:192.0.2.1").getHostAddress()).isEqualTo("192.0.2.1");
        for (String notALiteral : new String[] {"localhost", "example.com", "256.1.1.1", "1.2.3", "deadbeef",
                "g::1", "1.2.3.4:80", "[::1]", "::1%lo", ""}) {
            assertThat(ClientAddresses.literal(notALiteral)).as(notALiteral).isNull();
        }
    }

    @Test
    void theTrustedProxiesAreAddressesAndCidrBlocks() {
        List<ClientAddresses.Range> ranges = ClientAddresses.parseTrusted("10.0.0.0/8, 172.16.0.0/12, 192.0.2.7, fd00::/8");
        assertThat(ranges).hasSize(4);
        assertThat(ranges.get(1).contains(ClientAddresses.literal("172.31.255.255"))).isTrue();
        assertThat(ranges.get(1).contains(ClientAddresses.literal("172.32.0.0"))).isFalse();
        assertThat(ranges.get(2).contains(ClientAddresses.literal("192.0.2.7"))).isTrue();
        assertThat(ranges.get(2).contains(ClientAddresses.literal("192.0.2.8"))).isFalse();
        assertThat(ranges.get(3).contains(ClientAddresses.literal("fdab::1"))).isTrue();
        assertThat(ranges.get(3).contains(ClientAddresses.literal("10.0.0.1"))).isFalse();
        assertThat(ClientAddresses.parseTrusted("")).isEmpty();
        assertThat(ClientAddresses.parseTrusted(" , ")).isEmpty();

        for (String wrong : new String[] {"proxy.internal", "10.0.0.0/33", "10.0.0.1:8080", "::/129", "10.0.0.0/x"}) {
            assertThatThrownBy(() -> ClientAddresses.parseTrusted(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamewire.admin.trusted-proxies")
                    .hasMessageContaining(wrong);
        }
    }

    private static String peer(Exchange exchange) {
        return exchange.getMessage().getHeader(PEER, String.class);
    }

    private static Exchange request(String peer, String forwardedFor) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(PEER, peer);
        if (forwardedFor != null) {
            exchange.getMessage().setHeader(ClientAddresses.FORWARDED_FOR, forwardedFor);
        }
        return exchange;
    }
}

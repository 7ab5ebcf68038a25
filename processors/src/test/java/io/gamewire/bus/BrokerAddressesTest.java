package io.gamewire.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Address;
import io.gamewire.config.StartupException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerAddressesTest {

    @Test
    void parsesTheNodesInOrderWithTheirPorts() {
        BrokerAddresses addresses = BrokerAddresses.parse(" 127.0.0.1:5701, rabbit-2:5702 ,[::1]:5703", 5672);

        assertEquals(List.of(new Address("127.0.0.1", 5701), new Address("rabbit-2", 5702), new Address("[::1]", 5703)),
                addresses.list());
        assertEquals("127.0.0.1:5701,rabbit-2:5702,[::1]:5703", addresses.describe());
        assertEquals(BrokerAddresses.PROPERTY, addresses.setting());
    }

    @Test
    void aBareIpv6BrokerHostIsBracketedForAmqpClientsParser() {
        String described = BrokerAddresses.single("fd00::5", 5672).describe();

        assertEquals("[fd00::5]:5672", described);
        assertEquals(List.of(new Address("[fd00::5]", 5672)), List.of(Address.parseAddresses(described)));
    }

    @Test
    void anEntryWithoutAPortUsesTheBrokerPort() {
        assertEquals(List.of(new Address("rabbit-1", 5671), new Address("rabbit-2", 5702)),
                BrokerAddresses.parse("rabbit-1,rabbit-2:5702", 5671).list());
    }

    @Test
    void anInvalidEntryStopsTheStartNamingTheSettingAndTheEntry() {
        assertInvalid("127.0.0.1:5701,127.0.0.1:amqp", "entry 2 ('127.0.0.1:amqp')", "not a number");
        assertInvalid("127.0.0.1:5701,,127.0.0.1:5703", "entry 2 ('')", "no host");
        assertInvalid(":5701", "entry 1 (':5701')", "no host");
        assertInvalid("127.0.0.1:70000", "entry 1 ('127.0.0.1:70000')", "1-65535");
        assertInvalid("127.0.0.1:0", "entry 1 ('127.0.0.1:0')", "1-65535");
        assertInvalid("127.0.0.1:-1", "entry 1 ('127.0.0.1:-1')", "1-65535");
        assertInvalid("rabbit 1:5701", "entry 1 ('rabbit 1:5701')", "space");
    }

    @Test
    void theFactorysNamedConnectionsTryTheNextNodeWhenOneRefuses() throws Exception {
        int down;
        try (ServerSocket gone = new ServerSocket(0)) {
            down = gone.getLocalPort(); // nothing listens there any more: a node that is down
        }
        try (ServerSocket up = new ServerSocket(0, 10)) { // the kernel completes the TCP connect, no AMQP answers
            FailoverConnectionFactory factory = new FailoverConnectionFactory(
                    BrokerAddresses.parse("127.0.0.1:" + down + ",127.0.0.1:" + up.getLocalPort(), 5672));
            factory.setConnectionTimeout(1000);
            factory.setHandshakeTimeout(500);

            assertFalse(factory.isAutomaticRecoveryEnabled(), "gamewire's clients reconnect themselves");
            assertThrows(Exception.class, () -> factory.newConnection("gamewire-test"));
            // whichever order the addresses were shuffled into, the attempt reached the node that is up
            up.setSoTimeout(1000);
            try (Socket reached = up.accept()) {
                assertTrue(reached.getPort() > 0);
            }
        }
    }

    private static void assertInvalid(String value, String entry, String why) {
        StartupException e = assertThrows(StartupException.class, () -> BrokerAddresses.parse(value, 5672));
        assertTrue(e.getMessage().startsWith("gamewire.broker.addresses: " + entry), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}

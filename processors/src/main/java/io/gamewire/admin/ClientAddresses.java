package io.gamewire.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The address of the client that sent a request, for {@link AuthFailureLimit}: the TCP peer's
 * address (what the HTTP server's socket saw), unless that peer is one of
 * {@code gamewire.admin.trusted-proxies}. Then, and only then, the address comes from
 * {@code X-Forwarded-For}: read from the right, the first entry that is not a trusted proxy itself,
 * which is what the nearest trusted proxy saw. Entries further left were written by whoever sent the
 * request and are never believed: a client that names any address it likes there is still counted
 * under its own. Without trusted proxies the header is ignored altogether. ({@code Forwarded},
 * RFC 7239, is not read.)
 */
public final class ClientAddresses {

    /** The setting that names the trusted proxies. */
    public static final String SETTING = "gamewire.admin.trusted-proxies";
    /** The header a proxy appends the address it saw to. */
    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");
    /** An entry of {@code X-Forwarded-For} as some proxies write it: {@code [v6]}, {@code [v6]:port}, {@code v4:port}. */
    private static final Pattern WITH_PORT = Pattern.compile("\\[([^\\]]*)\\](?::\\d{1,5})?|([0-9.]+):\\d{1,5}");

    private final List<Range> trustedProxies;
    private final Function<Exchange, String> socketAddress;

    /**
     * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed
     * @param socketAddress  the TCP peer's address of a request, as text (the HTTP server's own header)
     */
    public ClientAddresses(List<Range> trustedProxies, Function<Exchange, String> socketAddress) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.socketAddress = socketAddress;
    }

    /** The TCP peer's address only: no proxy is trusted. */
    public static ClientAddresses socketOnly(Function<Exchange, String> socketAddress) {
        return new ClientAddresses(List.of(), socketAddress);
    }

    /**
     * {@value #SETTING}: addresses and CIDR blocks separated by commas ({@code 10.0.0.0/8, 192.0.2.7, ::1});
     * empty trusts none.
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static List<Range> parseTrusted(String setting) {
        List<Range> ranges = new ArrayList<>();
        if (setting == null) {
            return ranges;
        }
        for (String entry : setting.split(",")) {
            String text = entry.strip();
            if (!text.isEmpty()) {
                ranges.add(Range.parse(text));
            }
        }
        return ranges;
    }

    /** The client's address as text; {@code null} when the server gave no peer address. */
    public String of(Exchange exchange) {
        String peer = socketAddress.apply(exchange);
        InetAddress hop = literal(peer);
        if (hop == null || !trusted(hop)) {
            return hop == null ? peer : hop.getHostAddress();
        }
        List<String> chain = forwardedFor(exchange);
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetAddress entry = forwarded(chain.get(i));
            if (entry == null) {
                // a trusted proxy wrote something that is no address ("unknown"): count it as that proxy
                return hop.getHostAddress();
            }
            if (!trusted(entry)) {
                return entry.getHostAddress();
            }
            hop = entry;
        }
        // nothing but trusted proxies (or no header): the farthest of them
        return hop.getHostAddress();
    }

    private boolean trusted(InetAddress address) {
        for (Range range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Every entry of every {@code X-Forwarded-For} header, in order. */
    private static List<String> forwardedFor(Exchange exchange) {
        Object value = exchange.getMessage().getHeader(FORWARDED_FOR);
        List<String> entries = new ArrayList<>();
        if (value instanceof Iterable<?> values) {
            for (Object each : values) {
                split(String.valueOf(each), entries);
            }
        } else if (value != null) {
            split(value.toString(), entries);
        }
        return entries;
    }

    private static void split(String header, List<String> into) {
        for (String entry : header.split(",")) {
            if (!entry.isBlank()) {
                into.add(entry.strip());
            }
        }
    }

    /** An entry of {@code X-Forwarded-For} as an address, a port or brackets around it dropped; or null. */
    private static InetAddress forwarded(String entry) {
        Matcher withPort = WITH_PORT.matcher(entry);
        if (withPort.matches()) {
            return literal(withPort.group(1) != null ? withPort.group(1) : withPort.group(2));
        }
        return literal(entry);
    }

    /**
     * An IP address written as a literal, IPv4 dotted quad or IPv6, or null. Never a name lookup:
     * anything else is null.
     */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String address = text.strip();
        Matcher v4 = IPV4.matcher(address);
        try {
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // with a colon and only these characters, InetAddress parses an IPv6 literal and looks nothing up
            if (address.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(address).matches()) {
                return InetAddress.getByName(address);
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** An address or a CIDR block of {@value #SETTING}. */
    public record Range(byte[] network, int prefix, String text) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress parsed = literal(address);
            if (parsed == null) {
                throw new IllegalArgumentException(SETTING + ": '" + text + "' is not an IP address or CIDR block"
                        + " (such as 10.0.0.0/8 or 192.0.2.7; no names, no ports)");
            }
            int bits = parsed.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(SETTING + ": the prefix of '" + text + "' must be 0 to " + bits);
                }
            }
            return new Range(parsed.getAddress(), prefix, text.toLowerCase(Locale.ROOT));
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            if (!Arrays.equals(bytes, 0, whole, network, 0, whole)) {
                return false;
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (bytes[whole] & mask) == (network[whole] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }

}

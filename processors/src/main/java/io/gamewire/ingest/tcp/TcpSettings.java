package io.gamewire.ingest.tcp;

import io.gamewire.protocol.GwpLimits;
import io.gamewire.config.Settings;

/**
 * The limits of the GWP TCP server ({@code gamewire.tcp.*}, documented in
 * config/application.properties and binary-protocol/PROTOCOL.md).
 */
public record TcpSettings(int maxConnections, int maxInFlight, long authTimeoutMs, long idleTimeoutMs,
                          int writeBufferLowBytes, int writeBufferHighBytes, long drainTimeoutMs, GwpLimits limits) {

    public TcpSettings {
        if (maxConnections < 1 || maxInFlight < 1 || authTimeoutMs < 1 || idleTimeoutMs < 1 || drainTimeoutMs < 0) {
            throw new IllegalArgumentException("gamewire.tcp.max-connections, max-in-flight, auth-timeout-ms and "
                    + "idle-timeout-ms must be positive, drain-timeout-ms not negative");
        }
        if (writeBufferLowBytes < 1 || writeBufferLowBytes > writeBufferHighBytes) {
            throw new IllegalArgumentException("gamewire.tcp.write-buffer-low-bytes (" + writeBufferLowBytes
                    + ") must be positive and at most gamewire.tcp.write-buffer-high-bytes (" + writeBufferHighBytes + ")");
        }
    }

    public static TcpSettings from(Settings settings) {
        return new TcpSettings(settings.integer("gamewire.tcp.max-connections"),
                settings.integer("gamewire.tcp.max-in-flight"),
                settings.integer("gamewire.tcp.auth-timeout-ms"),
                settings.integer("gamewire.tcp.idle-timeout-ms"),
                settings.integer("gamewire.tcp.write-buffer-low-bytes"),
                settings.integer("gamewire.tcp.write-buffer-high-bytes"),
                settings.integer("gamewire.tcp.drain-timeout-ms"),
                settings.clientLimits());
    }
}

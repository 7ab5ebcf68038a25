package io.gamewire.titles.model;

import java.util.Set;

/**
 * An API key of a title: its secret is given either as the SHA-256 of the key ({@code sha256}) or
 * as the name of an environment variable holding the key ({@code fromEnv}); never in clear.
 *
 * @param rateLimitPerSecond events per second this key may publish, or 0 for no limit
 */
public record ApiKeyDefinition(String name, String sha256, String fromEnv, Set<String> environments,
                               Set<Access> access, int rateLimitPerSecond) {

    /** What a key may do. */
    public enum Access {
        PUBLISH, QUERY
    }
}

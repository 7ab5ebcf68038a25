package io.gamewire.config;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} of a gamewire process. The application binds it as the bean
 * {@code json} and hands it to every step; code that is not wired by the composition root (the
 * HTTP error answers, the command line's admin client) uses it directly. An {@code ObjectMapper}
 * is thread-safe once configured, and one instance shares its serializer caches.
 */
public final class SharedJson {

    /** Configured here only: nothing may reconfigure it after start. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private SharedJson() {
    }
}

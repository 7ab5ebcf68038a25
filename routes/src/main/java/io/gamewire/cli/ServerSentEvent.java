package io.gamewire.cli;

import io.gamewire.config.SharedJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * One Server-Sent Event as a client reads it: its type ({@code message} when the stream names none),
 * its id (null when none) and its data (its {@code data:} lines joined with {@code \n}).
 */
public record ServerSentEvent(String event, String id, String data) {

    /** The data read as JSON. */
    public JsonNode json() throws IOException {
        return SharedJson.MAPPER.readTree(data);
    }
}

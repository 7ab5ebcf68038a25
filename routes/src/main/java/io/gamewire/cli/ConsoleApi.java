package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/** What the console needs of the admin API; {@link ConsoleCommand} gives the HTTP one, tests a fake. */
interface ConsoleApi {

    JsonNode get(String path) throws AdminClient.AdminException;

    JsonNode post(String path, JsonNode body) throws AdminClient.AdminException;

    /**
     * Follows a Server-Sent Events stream, handing each event to {@code events}, until the stream
     * ends or the thread is interrupted (Ctrl-C in the console).
     */
    void stream(String path, Consumer<ServerSentEvent> events) throws AdminClient.AdminException;
}

package io.gamewire.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.ingest.http.HttpEventSteps;
import io.gamewire.ingest.http.RequestRefusedException;
import org.apache.camel.Exchange;

/**
 * What the admin steps share: refusing while the title files are first loaded, and answering JSON.
 * The bearer token is checked before them, by {@link AdminAuthorization}.
 */
public final class AdminRequests {

    private AdminRequests() {
    }

    /**
     * Refuses with 503 and {@code Retry-After} while the title files are first loaded: a 404 for a
     * service or pull that is only not loaded yet would send the caller away for good.
     */
    public static void requireTitlesLoaded(io.gamewire.titles.TitleRegistry titles) {
        if (!titles.loaded()) {
            throw new RequestRefusedException(503, "gamewire is starting: the title files of " + titles.dir()
                    + " are still being loaded; try again in a moment", java.util.Map.of("Retry-After", "1"));
        }
    }

    public static void answer(Exchange exchange, int status, ObjectNode body) {
        HttpEventSteps.answer(exchange, status, body);
    }
}

package io.gamewire.admin;

import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.monitor.tail.Tail;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.monitor.tail.TailsClosedException;
import io.gamewire.monitor.tail.TooManyTailsException;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The step of {@code GET /v1/admin/tail?pattern=halo.*.stats.#[&deadLetters=true][&limit=N]}, after
 * {@link AdminAuthorization}: reads the query, opens the tail and leaves the {@link Tail} as the body
 * for the HTTP side, which streams it ({@code io.gamewire.monitor.tail.TailStream}). 400 names a bad
 * pattern, {@code deadLetters} or {@code limit} ({@link QueryParameters}); 429 when {@code gamewire.ops.max-tails} are open;
 * 503 when the broker cannot make the queue or gamewire is stopping.
 */
public final class TailAdmin {

    /** The most message events a {@code limit} may ask for. */
    public static final long MAX_LIMIT = 1_000_000;

    private final Tails tails;

    public TailAdmin(Tails tails) {
        this.tails = tails;
    }

    public Processor open() {
        return exchange -> {
            Message in = exchange.getMessage();
            TopicPattern pattern = QueryParameters.pattern(in, "pattern", null);
            if (pattern == null) {
                throw new RequestRefusedException(400, "name what to tail: pattern=title.env.service.command, with *"
                        + " for one word and # for any number (e.g. pattern=halo.prod.#)");
            }
            boolean deadLetters = QueryParameters.bool(in, "deadLetters");
            long limit = QueryParameters.wholeNumber(in, "limit", 0, 1, MAX_LIMIT);
            try {
                exchange.getMessage().setBody(tails.open(pattern, deadLetters, limit));
            } catch (TooManyTailsException e) {
                throw new RequestRefusedException(429, e.getMessage());
            } catch (TailsClosedException e) {
                throw new RequestRefusedException(503, e.getMessage());
            } catch (IOException e) {
                throw new RequestRefusedException(503, "the tail's binding could not be made on the message broker: "
                        + e.getMessage());
            }
        };
    }
}

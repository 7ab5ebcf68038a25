package io.gamewire.admin;

import io.gamewire.ingest.http.RequestRefusedException;
import io.gamewire.monitor.tail.Tail;
import io.gamewire.monitor.tail.Tails;
import io.gamewire.monitor.tail.TailsClosedException;
import io.gamewire.monitor.tail.TooManyTailsException;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The step of {@code GET /v1/admin/tail?pattern=halo.*.stats.#[&deadLetters=true][&limit=N]}, after
 * {@link AdminAuthorization}: reads the query, opens the tail and leaves the {@link Tail} as the body
 * for the HTTP side, which streams it ({@code io.gamewire.monitor.tail.TailStream}). 400 names a bad
 * pattern, {@code deadLetters} or {@code limit}; 429 when {@code gamewire.ops.max-tails} are open;
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
            TopicPattern pattern = pattern(exchange);
            boolean deadLetters = deadLetters(exchange.getMessage().getHeader("deadLetters", String.class));
            long limit = limit(exchange.getMessage().getHeader("limit", String.class));
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

    private static TopicPattern pattern(Exchange exchange) {
        String text = exchange.getMessage().getHeader("pattern", String.class);
        if (text == null || text.isEmpty()) {
            throw new RequestRefusedException(400, "name what to tail: pattern=title.env.service.command, with *"
                    + " for one word and # for any number (e.g. pattern=halo.prod.#)");
        }
        try {
            return TopicPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, e.getMessage());
        }
    }

    private static boolean deadLetters(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        if (!text.equals("true") && !text.equals("false")) {
            throw new RequestRefusedException(400, "deadLetters must be true or false, is '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static long limit(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            long limit = Long.parseLong(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RequestRefusedException(400, "limit must be 1 to " + MAX_LIMIT + " events, is '" + text + "'");
    }
}

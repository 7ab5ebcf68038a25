package io.gamewire.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /v1/events} with an NDJSON body, one {@code {"routingKey": ..., "payload": {...}}}
 * line per event. The answer is read as {@code {"results": [{"status": 202, "messageId": ...}, ...]}},
 * one result per line in order; an event counts as accepted when its status is 202.
 */
final class BatchEventPost implements EventPost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpRequest.Builder template;
    private final Payloads payloads;
    private final int batchSize;
    private final byte[] linePrefix;
    private final byte[] lineSuffix = "}\n".getBytes(StandardCharsets.US_ASCII);

    BatchEventPost(LoadSettings settings, Payloads payloads) {
        this.payloads = payloads;
        this.batchSize = settings.batchSize();
        this.template = HttpRequests.builder(settings,
                URI.create("http://" + settings.host() + ":" + settings.port() + "/v1/events"), "application/x-ndjson");
        try {
            this.linePrefix = ("{\"routingKey\":" + JSON.writeValueAsString(settings.routingKey()) + ",\"payload\":")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a string as JSON", e);
        }
    }

    @Override
    public int eventsPerRequest() {
        return batchSize;
    }

    @Override
    public HttpRequest next() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(
                batchSize * (linePrefix.length + payloads.size() + lineSuffix.length));
        for (int i = 0; i < batchSize; i++) {
            body.writeBytes(linePrefix);
            body.writeBytes(payloads.next());
            body.writeBytes(lineSuffix);
        }
        return template.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    @Override
    public Outcome read(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            return Outcome.refused("HTTP " + status, batchSize);
        }
        JsonNode results;
        try {
            results = JSON.readTree(response.body()).path("results");
        } catch (IOException e) {
            return Outcome.refused("HTTP " + status + " unreadable answer", batchSize);
        }
        int accepted = 0;
        Map<String, Integer> refused = new HashMap<>();
        for (JsonNode result : results) {
            int eventStatus = result.path("status").asInt();
            if (eventStatus == 202) {
                accepted++;
            } else {
                refused.merge("event " + eventStatus, 1, Integer::sum);
            }
        }
        int missing = batchSize - results.size();
        if (missing > 0) {
            refused.merge("event without result", missing, Integer::sum);
        }
        return new Outcome(accepted, refused);
    }

    @Override
    public String probeHint(int status) {
        return status == 404 || status == 405
                ? " (this gamewire has no batch endpoint POST /v1/events with NDJSON yet; it is being written"
                  + " in the ingest issue; use --batch 0 for POST /v1/events/{routingKey})"
                : "";
    }
}

package io.gamewire.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code POST /v1/events/{routingKey}}, one JSON event per request; 202 means the broker confirmed it. */
final class SingleEventPost implements EventPost {

    private final HttpRequest.Builder template;
    private final Payloads payloads;

    SingleEventPost(LoadSettings settings, Payloads payloads) {
        this.payloads = payloads;
        this.template = HttpRequests.builder(settings,
                URI.create("http://" + settings.host() + ":" + settings.port() + "/v1/events/" + settings.routingKey()),
                "application/json");
    }

    @Override
    public int eventsPerRequest() {
        return 1;
    }

    @Override
    public HttpRequest next() {
        return template.copy().POST(HttpRequest.BodyPublishers.ofByteArray(payloads.next())).build();
    }

    @Override
    public Outcome read(HttpResponse<byte[]> response) {
        return response.statusCode() == 202 ? Outcome.accepted(1) : Outcome.refused("HTTP " + response.statusCode(), 1);
    }

    @Override
    public String probeHint(int status) {
        return "";
    }
}

package io.gamewire.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;

/** What every ingest request has: the URI, the bearer key, the content type and the timeout. */
final class HttpRequests {

    private HttpRequests() {
    }

    /** A builder to {@link HttpRequest.Builder#copy() copy} per request. */
    static HttpRequest.Builder builder(LoadSettings settings, URI uri, String contentType) {
        return HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Content-Type", contentType);
    }
}

package io.gamewire.bench.load;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One way of posting events over HTTP: what a request looks like and how its answer reads. Thread-safe. */
interface EventPost {

    int eventsPerRequest();

    /** A new request with new payloads. */
    HttpRequest next();

    Outcome read(HttpResponse<byte[]> response);

    /** Added to the message when the probe request is not accepted; empty when there is nothing to add. */
    String probeHint(int status);
}

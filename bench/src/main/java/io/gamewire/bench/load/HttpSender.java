package io.gamewire.bench.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream of HTTP requests, each waiting for its answer (closed loop); {@code --concurrency}
 * such senders share one {@link HttpClient}, which keeps one HTTP/1.1 connection per sender.
 */
final class HttpSender implements Sender {

    private final HttpClient client;
    private final EventPost post;
    private final Measurement measurement;

    private HttpSender(HttpClient client, EventPost post, Measurement measurement) {
        this.client = client;
        this.post = post;
        this.measurement = measurement;
    }

    /**
     * The senders, after one probe request that must be accepted whole, so that a missing server,
     * a refused key or a missing endpoint stops the run here with a message saying so.
     */
    static List<Sender> openAll(LoadSettings settings, Payloads payloads, Measurement measurement)
            throws LoadFailure, InterruptedException {
        // HTTP/1.1 as real game back ends send it; the default would first try an h2c upgrade
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
        EventPost post = settings.batchSize() == 0 ? new SingleEventPost(settings, payloads)
                : new BatchEventPost(settings, payloads);
        probe(settings, client, post);
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            senders.add(new HttpSender(client, post, measurement));
        }
        return senders;
    }

    private static void probe(LoadSettings settings, HttpClient client, EventPost post)
            throws LoadFailure, InterruptedException {
        HttpRequest request = post.next();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new LoadFailure("nothing listens on http://" + settings.host() + ":" + settings.port()
                    + " (connection refused): start gamewire (java -jar routes/target/gamewire.jar) or point"
                    + " --host/--port at it", e);
        } catch (IOException e) {
            throw new LoadFailure("the probe request " + request.method() + " " + request.uri() + " failed: " + e, e);
        }
        if (post.read(response).accepted() < post.eventsPerRequest()) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new LoadFailure("the probe request " + request.method() + " " + request.uri() + " was not"
                    + " accepted: HTTP " + response.statusCode() + " "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body)
                    + post.probeHint(response.statusCode()));
        }
    }

    @Override
    public void send(long dueNanos) throws InterruptedException {
        HttpRequest request = post.next();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long latency = System.nanoTime() - dueNanos;
            Outcome outcome = post.read(response);
            if (outcome.accepted() > 0) {
                measurement.answered(latency, outcome.accepted());
            }
            outcome.refused().forEach(measurement::refused);
        } catch (IOException e) {
            measurement.refused(FailureKinds.of(e), post.eventsPerRequest());
        }
    }

    @Override
    public int eventsPerSend() {
        return post.eventsPerRequest();
    }

    @Override
    public void close() {
        // the shared HttpClient has nothing to close on Java 17; its threads are daemons
    }
}

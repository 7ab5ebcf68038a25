package io.gamewire.bench.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.rabbitmq.client.AMQP;
import io.gamewire.bench.bridge.BridgeBus;
import io.gamewire.bus.EventSource;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.FrameType;
import io.gamewire.protocol.MalformedFrameException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor under gamewire's single-event and batched HTTP rows: the least a bridge from HTTP to a confirmed,
 * persistent RabbitMQ publish does per request, with the same libraries gamewire uses (Vert.x 4,
 * as Camel's platform-http runs it, and the RabbitMQ Java client). Each {@code POST} body is
 * published as it came, persistent, with a message id, to a topic exchange with a quorum queue
 * bound to it, under the last segment of the request's path as routing key, and answered
 * {@code 202 {"messageId": ...}} once the broker confirmed it ({@code 503} when it refused it). A
 * body of content type {@code application/x-ndjson} is a batch, the floor under the batched row:
 * each line is published as it came, under the routing key its {@code routingKey} field names (as
 * gamewire publishes it: the broker's topic routing costs more per word of the key), all on one
 * lane, and the answer holds a result per line, as gamewire's {@code POST /v1/events} does.
 *
 * <p>What it leaves out, and gamewire does per request: the API key, the routing key's and the
 * payload's checks against the title, the rate limit, the GWP envelope, the Camel exchange and its
 * route (metrics, error handler), ordering per source. It publishes on the request's event loop
 * (under the lane's lock), where gamewire hands each publish to its lane's thread. So what it
 * reaches is the most any Java bridge built from these parts can reach on the same cores, and
 * gamewire's rate against it shows what gamewire's own work costs (bench/run-http-floor.sh).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.gamewire.bench.http.MinimalHttpBridge \
 *   --amqp-uri amqp://guest:guest@127.0.0.1:5672/gw-bench --port 18790 --name gw-floor-1
 * </pre>
 * Prints {@code READY <port>} once it listens; on SIGTERM it deletes its exchange and queue (both
 * named by {@code --name}) and exits. With {@code --message gamewire} it publishes, for each body
 * or line, the message gamewire publishes ({@link BridgeBus#gamewireMessage}) in place of what came
 * in.
 */
public final class MinimalHttpBridge {

    private static final String NDJSON = "application/x-ndjson";
    private static final JsonFactory LINES = new JsonFactory();
    /** The longest routing key AMQP carries (a short string). */
    private static final int MAX_ROUTING_KEY_BYTES = 255;

    private static final byte[] REFUSED = "{\"error\":\"the broker refused the event\"}".getBytes();

    private final BridgeBus bus;
    private final AtomicInteger next = new AtomicInteger();

    private MinimalHttpBridge(BridgeBus bus) {
        this.bus = bus;
    }

    public static void main(String[] args) {
        BridgeBus.run("MinimalHttpBridge", args, 18790, (bus, host, port) -> {
            // as many event loops as Vert.x gives platform-http by default: two per core
            Vertx vertx = Vertx.vertx(new VertxOptions());
            MinimalHttpBridge bridge = new MinimalHttpBridge(bus);
            HttpServer server = vertx.createHttpServer().requestHandler(bridge::handle);
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return server.actualPort();
        });
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != io.vertx.core.http.HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        String path = request.path();
        String routingKey = path.substring(path.lastIndexOf('/') + 1);
        String contentType = request.getHeader("content-type");
        boolean batch = contentType != null && contentType.startsWith(NDJSON);
        request.body().onSuccess(body -> {
            if (batch) {
                publishLines(request, body);
                return;
            }
            UUID id = messageId();
            String messageId = id.toString();
            BridgeBus.Outgoing message;
            try {
                message = message(id, routingKey, body.getBytes());
            } catch (IllegalArgumentException e) {
                refuse(request, e);
                return;
            }
            bus.lane(next.getAndIncrement()).publish(bus.exchange(), routingKey, message.properties(), message.body(), confirmed -> {
                // Vert.x writes a response from any thread on its connection's event loop
                if (confirmed) {
                    request.response().setStatusCode(202).putHeader("content-type", "application/json")
                            .end("{\"messageId\":\"" + messageId + "\"}");
                } else {
                    request.response().setStatusCode(503).putHeader("content-type", "application/json")
                            .end(io.vertx.core.buffer.Buffer.buffer(REFUSED));
                }
            });
        });
    }

    /**
     * A batch: each non-blank line published as it came under its own {@code routingKey}
     * ({@link #lineRoutingKey}; a line that is not a JSON object with one refuses the batch with
     * a 400), all on one lane (so the batch keeps its order), and one answer once the broker
     * confirmed or refused them all, a result per line in order,
     * {@code {"results": [{"status": 202, "messageId": ...}, ...]}} (503 for a refused line).
     */
    private void publishLines(HttpServerRequest request, Buffer body) {
        byte[] bytes = body.getBytes();
        List<byte[]> lines = new ArrayList<>();
        for (int start = 0, end; start < bytes.length; start = end + 1) {
            end = indexOf(bytes, (byte) '\n', start);
            int last = end; // without a CR of a CRLF line end
            if (last > start && bytes[last - 1] == '\r') {
                last--;
            }
            if (!blank(bytes, start, last)) {
                lines.add(Arrays.copyOfRange(bytes, start, last));
            }
        }
        if (lines.isEmpty()) {
            request.response().setStatusCode(400).end();
            return;
        }
        String[] messageIds = new String[lines.size()];
        String[] routingKeys = new String[lines.size()];
        BridgeBus.Outgoing[] messages = new BridgeBus.Outgoing[lines.size()];
        try { // all made before any is published: a line that cannot be sent refuses the batch whole
            for (int i = 0; i < lines.size(); i++) {
                UUID id = messageId();
                messageIds[i] = id.toString();
                routingKeys[i] = lineRoutingKey(lines.get(i));
                messages[i] = message(id, routingKeys[i], lines.get(i));
            }
        } catch (IllegalArgumentException e) {
            refuse(request, e);
            return;
        }
        boolean[] confirmed = new boolean[lines.size()];
        AtomicInteger waiting = new AtomicInteger(lines.size());
        var lane = bus.lane(next.getAndIncrement());
        for (int i = 0; i < lines.size(); i++) {
            int line = i;
            lane.publish(bus.exchange(), routingKeys[i], messages[i].properties(), messages[i].body(), taken -> {
                confirmed[line] = taken;
                // the last confirm answers; the counter's decrement publishes every line's outcome to it
                if (waiting.decrementAndGet() == 0) {
                    StringBuilder answer = new StringBuilder(lines.size() * 64).append("{\"results\":[");
                    for (int j = 0; j < messageIds.length; j++) {
                        answer.append(j == 0 ? "" : ",").append("{\"status\":").append(confirmed[j] ? 202 : 503)
                                .append(",\"messageId\":\"").append(messageIds[j]).append("\"}");
                    }
                    request.response().setStatusCode(200).putHeader("content-type", "application/json")
                            .end(answer.append("]}").toString());
                }
            });
        }
    }

    /**
     * The {@code routingKey} string field of a batch line's top-level object: the key the line is
     * published under, as gamewire publishes it. The broker's topic routing costs more per word of
     * the key (bench/README.md, "The batched floor's routing key"), so a floor that published every
     * line under the one-word {@code events} of the path would spare the broker work that gamewire
     * cannot spare it.
     *
     * The first {@code routingKey} wins, and what follows it on the line is not read: the floor
     * checks no more than it needs.
     *
     * @throws IllegalArgumentException for a line that is not a JSON object with that field as a
     *                                  string of 1 to 255 UTF-8 bytes
     */
    static String lineRoutingKey(byte[] line) {
        try (JsonParser parser = LINES.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a batch line is not a JSON object");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("routingKey")) {
                    if (value != JsonToken.VALUE_STRING || parser.getText().isEmpty()) {
                        throw new IllegalArgumentException("a batch line's routingKey is not a non-empty string");
                    }
                    String routingKey = parser.getText();
                    // AMQP's short string: a longer key would fail in basicPublish, after the lines before it went out
                    if (routingKey.getBytes(StandardCharsets.UTF_8).length > MAX_ROUTING_KEY_BYTES) {
                        throw new IllegalArgumentException("a batch line's routingKey is over "
                                + MAX_ROUTING_KEY_BYTES + " bytes");
                    }
                    return routingKey;
                }
                parser.skipChildren();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a batch line is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("a batch line cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("a batch line has no routingKey");
    }

    private static boolean blank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return bytes.length;
    }

    private static UUID messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong());
    }

    /**
     * What the bridge publishes for one event: the body as it came, or with {@code --message
     * gamewire} gamewire's message around it ({@link BridgeBus#gamewireMessage}).
     *
     * @throws IllegalArgumentException when gamewire's message cannot be made of it (an empty or
     *                                  invalid routing key, a body over the frame limits)
     */
    private BridgeBus.Outgoing message(UUID messageId, String routingKey, byte[] body) {
        if (!bus.gamewireMessages()) {
            return new BridgeBus.Outgoing(new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType("application/json").messageId(messageId.toString()).build(), body);
        }
        try {
            return bus.gamewireMessage(new Envelope(FrameType.EVENT, messageId, null, System.currentTimeMillis(),
                    "application/json", routingKey, Map.of(), ByteBuffer.wrap(body)), EventSource.HTTP);
        } catch (MalformedFrameException e) {
            throw new IllegalArgumentException("the event does not fit a GWP frame: " + e.getMessage(), e);
        }
    }

    /** 400 naming why an event could not be made into gamewire's message (a routing key, a size). */
    private static void refuse(HttpServerRequest request, IllegalArgumentException why) {
        request.response().setStatusCode(400).putHeader("content-type", "text/plain")
                .end(String.valueOf(why.getMessage()));
    }
}

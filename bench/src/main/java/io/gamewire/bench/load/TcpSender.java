package io.gamewire.bench.load;

import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.client.GamewireClient;
import io.gamewire.protocol.client.GwpErrorException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GWP connection: a {@link GamewireClient} whose in-flight window is the load's window. Sends
 * do not wait for their ACK; the client blocks the sender only when the window is full, so each
 * connection keeps up to {@code --in-flight} events unacknowledged.
 */
final class TcpSender implements Sender {

    private final GamewireClient client;
    private final LoadSettings settings;
    private final Payloads payloads;
    private final Measurement measurement;
    private volatile boolean clientClosed;

    private TcpSender(GamewireClient client, LoadSettings settings, Payloads payloads, Measurement measurement) {
        this.client = client;
        this.settings = settings;
        this.payloads = payloads;
        this.measurement = measurement;
    }

    /**
     * Connects {@code settings.workers()} clients and sends one probe event per port, so that a server that
     * is missing or refuses the key or the event stops the run here, with a message saying so.
     */
    static List<Sender> openAll(LoadSettings settings, Payloads payloads, Measurement measurement)
            throws LoadFailure, InterruptedException {
        List<Sender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < settings.workers(); i++) {
                senders.add(connect(settings, i, payloads, measurement));
            }
            // the first connections go to each port once: one probe each, so that every instance is checked
            for (int i = 0; i < settings.ports().size(); i++) {
                ((TcpSender) senders.get(i)).probe();
            }
            return senders;
        } catch (LoadFailure | InterruptedException | RuntimeException e) {
            senders.forEach(Sender::close);
            throw e;
        }
    }

    private static TcpSender connect(LoadSettings settings, int index, Payloads payloads, Measurement measurement)
            throws LoadFailure, InterruptedException {
        GamewireClient client = GamewireClient.builder()
                .address(settings.host(), settings.port(index))
                .apiKey(settings.apiKey())
                .clientName("gamewire-load-" + index)
                .maxInFlight(settings.inFlight())
                .connectTimeout(settings.timeout())
                .build();
        try {
            // the client's own connect timeout ends this; the extra wait is only a safety net
            client.connect().get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            return new TcpSender(client, settings, payloads, measurement);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new LoadFailure(connectFailure(settings, settings.port(index), FailureKinds.unwrap(e)), e);
        }
    }

    private static String connectFailure(LoadSettings settings, int port, Throwable cause) {
        String address = settings.host() + ":" + port;
        if (cause instanceof ConnectException) {
            return "no GWP server at " + address + " (" + cause.getMessage() + "). gamewire's TCP translator"
                    + " (gamewire.tcp.port, default 7400) comes with the translators issue: run a gamewire"
                    + " that has it, or point --host/--port at one";
        }
        if (cause instanceof GwpErrorException error && error.knownCode() == ErrorCode.AUTH_FAILED) {
            return "the GWP server at " + address + " refused the API key: " + error.getMessage()
                    + "; give the key with --api-key";
        }
        return "cannot connect to the GWP server at " + address + ": " + cause;
    }

    /** One event, waited for: its ACK proves that the key may publish to the routing key. */
    private void probe() throws LoadFailure, InterruptedException {
        try {
            client.send(nextEvent()).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LoadFailure("the probe event to " + settings.routingKey() + " was not acknowledged: "
                    + FailureKinds.unwrap(e), e);
        }
    }

    @Override
    public void send(long dueNanos) {
        if (clientClosed) {
            throw new IllegalStateException("the GamewireClient was closed (see the errors above)");
        }
        var ack = client.send(nextEvent());
        // paced: from when the event was due (see Pacer); unpaced: from when the window let it go,
        // so that the time spent waiting for a free slot is not counted as ACK latency
        long start = settings.paced() ? dueNanos : System.nanoTime();
        ack.whenComplete((frame, failure) -> {
            if (failure == null) {
                measurement.answered(System.nanoTime() - start, 1);
            } else {
                String kind = FailureKinds.of(failure);
                clientClosed |= kind.equals(FailureKinds.CLIENT_CLOSED);
                measurement.refused(kind, 1);
            }
        });
    }

    private Envelope nextEvent() {
        return Envelope.event(MessageIds.next(), System.currentTimeMillis(), "application/json",
                settings.routingKey(), payloads.next());
    }

    @Override
    public int eventsPerSend() {
        return 1;
    }

    @Override
    public void close() {
        client.close();
    }
}

package io.gamewire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.MalformedFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One match-end EVENT ({@link MatchEndEvent}) encoded and decoded by the GWP {@link EnvelopeCodec} and,
 * for comparison, by Jackson as JSON with the same fields ({@link EventJson}, payload as base64).
 *
 * <p>Both encoders write into an output reused across operations (a heap ByteBuffer; a reset
 * ByteArrayOutputStream), both decoders read from a prepared byte array, and each side builds its
 * own full object: an {@link Envelope} (payload a view of the input) or an {@link EventJson}
 * (payload a decoded copy). Results and settings are in {@code bench/README.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeCodecBenchmark {

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private Envelope envelope;
    private ByteBuffer gwpOut;
    private ByteBuffer gwpIn;

    private ObjectWriter jsonWriter;
    private ObjectReader jsonReader;
    private EventJson event;
    private ReusableOutput jsonOut;
    private byte[] jsonIn;

    @Setup(Level.Trial)
    public void prepare() throws IOException {
        envelope = MatchEndEvent.envelope();
        gwpOut = ByteBuffer.allocate(1024);
        byte[] frame = codec.encode(envelope);
        gwpIn = ByteBuffer.wrap(frame);

        ObjectMapper mapper = new ObjectMapper();
        jsonWriter = mapper.writerFor(EventJson.class);
        jsonReader = mapper.readerFor(EventJson.class);
        event = MatchEndEvent.json();
        jsonOut = new ReusableOutput();
        jsonIn = jsonWriter.writeValueAsBytes(event);

        checkBothRoundTrip(frame);
        System.out.printf("%nGWP frame: %d bytes; JSON document: %d bytes; payload: %d bytes%n",
                frame.length, jsonIn.length, MatchEndEvent.payload().length);
    }

    @Benchmark
    public void gwpEncode(Blackhole blackhole) throws MalformedFrameException {
        gwpOut.clear();
        codec.encode(envelope, gwpOut);
        blackhole.consume(gwpOut);
    }

    @Benchmark
    public void gwpDecode(Blackhole blackhole) throws MalformedFrameException {
        gwpIn.rewind();
        blackhole.consume(codec.decode(gwpIn));
    }

    @Benchmark
    public void jacksonEncode(Blackhole blackhole) throws IOException {
        jsonOut.reset();
        jsonWriter.writeValue(jsonOut, event);
        blackhole.consume(jsonOut.buffer());
    }

    @Benchmark
    public void jacksonDecode(Blackhole blackhole) throws IOException {
        blackhole.consume(jsonReader.<EventJson>readValue(jsonIn));
    }

    /** Fails the run before measuring if either codec does not give back the event it was given. */
    private void checkBothRoundTrip(byte[] frame) throws IOException {
        Frame decoded = codec.decode(ByteBuffer.wrap(frame));
        if (!envelope.equals(decoded)) {
            throw new IllegalStateException("GWP round trip changed the event: " + decoded);
        }
        gwpOut.clear();
        codec.encode(envelope, gwpOut);
        if (!Arrays.equals(frame, 0, frame.length, gwpOut.array(), 0, gwpOut.position())) {
            throw new IllegalStateException("encode into a ByteBuffer and encode to an array differ");
        }
        EventJson json = jsonReader.readValue(jsonIn);
        boolean same = json.type() == event.type() && json.messageId().equals(event.messageId())
                && Objects.equals(json.correlationId(), event.correlationId()) && json.timestamp() == event.timestamp()
                && json.contentType().equals(event.contentType()) && json.routingKey().equals(event.routingKey())
                && json.attributes().equals(event.attributes()) && Arrays.equals(json.payload(), event.payload());
        if (!same) {
            throw new IllegalStateException("Jackson round trip changed the event: " + json);
        }
    }

    /** A ByteArrayOutputStream whose array is reused after reset(), and visible without a copy. */
    private static final class ReusableOutput extends ByteArrayOutputStream {

        ReusableOutput() {
            super(1024);
        }

        byte[] buffer() {
            return buf;
        }
    }
}

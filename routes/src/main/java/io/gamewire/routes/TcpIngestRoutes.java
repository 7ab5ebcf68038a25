package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The GWP TCP translator: a camel-netty consumer on {@code gamewire.tcp.host:port} whose pipeline
 * is {@code gwpServerInitializer}'s (AUTH, frame limits, in-flight window). Every REQUEST becomes
 * one exchange of the route {@code tcp-ingest}, which reads as its steps: read the frame → admit →
 * send it over the bus and await its REPLY, which is the answer; any failure is answered with an
 * ERROR frame. EVENTs do not enter the route: the pipeline's session handler runs the same shared
 * steps (admit, publish and confirm, then ACK or ERROR) itself, without an exchange per frame,
 * which cost a third to nearly half of gamewire's CPU per event
 * ({@code io.gamewire.ingest.tcp.TcpEvents} says why). The answers are asynchronous, so one
 * connection has up to {@code gamewire.tcp.max-in-flight} frames unanswered at once. The route starts once the title files (and so the API keys) are
 * loaded: its consumer is the TCP server, for EVENTs too.
 */
public class TcpIngestRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "tcp-ingest";

    @Override
    public void configure() {
        from("netty:tcp://{{gamewire.tcp.host}}:{{gamewire.tcp.port}}"
                + "?serverInitializerFactory=#gwpServerInitializer&sync=true&allowDefaultCodec=false"
                + "&disconnectOnNoReply=false&reuseAddress=true&keepAlive=true&tcpNoDelay=true"
                // an answer lost because its client went away is counted and logged at DEBUG, not a
                // warning with a stack trace per frame
                + "&exceptionHandler=#tcpExceptionHandler")
                .routeId(ROUTE_ID).autoStartup(false)
                // the body is a decoded frame, never a stream; with caching on, Camel looked for a
                // stream converter on every exchange (5 % of the event loop's time in a profile)
                .noStreamCaching()
                // every failure becomes an ERROR frame for the client: nothing to redeliver
                .errorHandler(noErrorHandler())
                .doTry()
                    .process("tcpReadFrame").id(ROUTE_ID + ".read-frame")
                    .process("admit").id(ROUTE_ID + ".admit")
                    .process("requestAndAwaitReply").id(ROUTE_ID + ".request-and-await-reply")
                .endDoTry()
                .doCatch(Exception.class)
                    .process("tcpAnswerError").id(ROUTE_ID + ".answer-error")
                .end();
    }
}

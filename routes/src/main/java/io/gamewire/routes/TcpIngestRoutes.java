package io.gamewire.routes;

import io.gamewire.ingest.tcp.TcpSteps;
import org.apache.camel.builder.RouteBuilder;

/**
 * The GWP TCP translator: a camel-netty consumer on {@code gamewire.tcp.host:port} whose pipeline
 * is {@code gwpServerInitializer}'s (AUTH, frame limits, in-flight window). Every EVENT or
 * REQUEST becomes one exchange of the route {@code tcp-ingest}, which reads as its steps: read the
 * frame → admit → an EVENT is published and its confirm awaited, then answered ACK; a REQUEST is
 * sent over the bus and answered with its REPLY; any failure is answered with an ERROR frame. The
 * answers are asynchronous, so one connection has up to {@code gamewire.tcp.max-in-flight} frames
 * in the route at once. The route starts once the title files (and so the API keys) are loaded.
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
                    .choice()
                        .when(TcpSteps.IS_EVENT)
                            .process("publishAndConfirm").id(ROUTE_ID + ".publish-and-confirm")
                            .process("tcpAnswerAck").id(ROUTE_ID + ".answer-ack")
                        .otherwise()
                            .process("requestAndAwaitReply").id(ROUTE_ID + ".request-and-await-reply")
                    .end()
                .endDoTry()
                .doCatch(Exception.class)
                    .process("tcpAnswerError").id(ROUTE_ID + ".answer-error")
                .end();
    }
}

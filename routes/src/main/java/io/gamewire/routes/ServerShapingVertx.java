package io.gamewire.routes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x that lets gamewire shape every HTTP server made through it: the server's options before
 * it is made, and the server itself before it listens (its connection handler can only be set then).
 * Everything else is the wrapped Vert.x's.
 *
 * <p>Why: platform-http (Camel 4.17, {@code VertxPlatformHttpServer.startServer}) makes its server's
 * {@code HttpServerOptions} itself, from nothing but TLS, calls {@code vertx.createHttpServer(options)}
 * and listens at once; neither {@code camel.server.*}, its configuration class nor a customizer bean
 * reaches the options or the server before it listens. The one thing it takes from outside is the
 * Vert.x: the single {@link Vertx} bean of Camel's registry. So that bean is this proxy, and
 * {@code createHttpServer} is the seam. It proxies {@link VertxInternal}, not only {@link Vertx},
 * because Vert.x's own code casts to it. platform-http does not close a Vert.x it looked up:
 * {@link HttpHeaderTimeout} closes it once the context has stopped.
 */
final class ServerShapingVertx implements InvocationHandler {

    /** Changes the options of a server about to be made, then the made server before it listens. */
    interface Shaper {
        void options(HttpServerOptions options);

        void server(HttpServer server);
    }

    private final Vertx vertx;
    private final Shaper shaper;
    private final AtomicInteger shaped = new AtomicInteger();
    private final Vertx proxy;

    private ServerShapingVertx(Vertx vertx, Shaper shaper) {
        this.vertx = vertx;
        this.shaper = shaper;
        this.proxy = (Vertx) Proxy.newProxyInstance(ServerShapingVertx.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, this);
    }

    /** {@code vertx}, whose HTTP servers {@code shaper} shapes; the count tells how many it did. */
    static ServerShapingVertx wrap(Vertx vertx, Shaper shaper) {
        return new ServerShapingVertx(vertx, shaper);
    }

    /** The proxy to hand out in place of the wrapped Vert.x. */
    Vertx vertx() {
        return proxy;
    }

    /** How many HTTP servers were made through the proxy (and shaped). */
    int shapedServers() {
        return shaped.get();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("createHttpServer") && args != null && args.length == 1
                && args[0] instanceof HttpServerOptions asked) {
            HttpServerOptions options = new HttpServerOptions(asked); // the caller's stay as they were
            shaper.options(options);
            HttpServer server = vertx.createHttpServer(options);
            shaper.server(server);
            shaped.incrementAndGet();
            return server;
        }
        if (method.getName().equals("equals") && args != null && args.length == 1) {
            return proxy == args[0];
        }
        try {
            return method.invoke(vertx, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package io.gamewire.admin;

import io.gamewire.ingest.http.RequestRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The web console's files, served from the classpath (every one is in the jar; the page loads
 * nothing from elsewhere): gamewire's own under {@value #FOLDER}, uPlot's from its webjar under
 * {@value #UPLOT_FOLDER}, for names starting {@code uPlot.}.
 *
 * <p>A name is one path segment of letters, digits, {@code .}, {@code _} and {@code -}, without
 * {@code ..}: nothing outside those two folders can be named. Only known file types are served,
 * each with its content type. Files are read once and kept (they cannot change inside a jar); each
 * answer has an {@code ETag} and {@code Cache-Control: no-cache}, so a browser asks again every
 * time and gets {@code 304} while the file is unchanged, and a new gamewire's console is never
 * mixed with an old one's cached script.
 */
public final class ConsoleAssets {

    static final String FOLDER = "gamewire/console/";
    static final String UPLOT_FOLDER = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** The path parameter of {@code GET /console/assets/{asset}}. */
    public static final String ASSET_HEADER = "asset";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");
    /**
     * Scripts and styles only from gamewire itself; inline styles allowed because uPlot sizes its
     * elements with them and the login page, the one page served without a session, carries its
     * own; no inline script at all, no frames around the console, no base or form target elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader classLoader;
    private final Map<String, Optional<Asset>> loaded = new ConcurrentHashMap<>();

    public ConsoleAssets(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** A step that serves one file, such as the console's page or the login page. */
    public Processor file(String name) {
        requireName(name);
        return exchange -> serve(exchange, name);
    }

    /** The step of {@code GET /console/assets/{asset}}: serves the file the path names. */
    public Processor named() {
        return exchange -> serve(exchange, exchange.getMessage().getHeader(ASSET_HEADER, String.class));
    }

    private void serve(Exchange exchange, String name) {
        requireName(name);
        Asset asset = loaded.computeIfAbsent(name, this::load)
                .orElseThrow(() -> new RequestRefusedException(404, "the console has no file '" + name + "'"));
        String ifNoneMatch = exchange.getMessage().getHeader("If-None-Match", String.class);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader("ETag", asset.etag());
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Referrer-Policy", "no-referrer");
        if (asset.contentType().startsWith("text/html")) {
            out.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            out.setHeader("X-Frame-Options", "DENY");
        }
        if (asset.etag().equals(ifNoneMatch)) {
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            out.setBody(null);
            return;
        }
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, asset.contentType());
        out.setBody(asset.bytes());
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new RequestRefusedException(400, "a console file name is one path segment of letters, digits,"
                    + " '.', '_' and '-', without '..'");
        }
    }

    private Optional<Asset> load(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        String resource = (name.startsWith("uPlot.") ? UPLOT_FOLDER : FOLDER) + name;
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(AdminToken.sha256Of(bytes), 0, 16) + "\"";
            return Optional.of(new Asset(bytes, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console file " + resource + " from the classpath", e);
        }
    }
}

package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may use the admin API, the web console and Jolokia, over real HTTP: the admin token as bearer
 * token, or a console session cookie from {@code POST /console/login}; 401 without credentials,
 * 403 with wrong ones; 429 for an address past gamewire.admin.auth-failures-per-minute (10) failed
 * authentications; the console's files from the jar and nothing beside them; Camel JBang's CLI
 * connector writing its status file.
 */
class ConsoleSecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GamewireUnderTest gw;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        gw = new GamewireUnderTest();
        token = "admin-" + gw.id;
        gw.overrides.put("gamewire.admin.token", token);
        gw.overrides.put("gamewire.ops.jolokia.enabled", "true");
        gw.overrides.put("gamewire.ops.camel-cli.enabled", "true");
        // the test's requests come from 127.0.0.1, which may so name other clients in X-Forwarded-For
        // (each test of the limit its own address); 127.0.0.2 and .3 are clients that are no proxy
        gw.overrides.put("gamewire.admin.trusted-proxies", "127.0.0.1");
        gw.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void theAdminApiAnswers401WithoutCredentialsAnd403ForAWrongTokenWithoutRepeatingIt() throws Exception {
        HttpResponse<String> none = send(get("/v1/admin/pulls"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));

        String wrong = token.substring(0, token.length() - 1) + "x";
        HttpResponse<String> refused = send(get("/v1/admin/pulls").header("Authorization", "Bearer " + wrong));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).doesNotContain(wrong).doesNotContain(token);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();

        assertThat(send(get("/v1/admin/pulls").header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
    }

    @Test
    void aJsonLoginOpensASessionWhoseCookieAuthorizesTheAdminApiUntilLogout() throws Exception {
        HttpResponse<String> login = send(post("/console/login", "application/json", "{\"token\":\"" + token + "\"}"));

        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(JSON.readTree(login.body()).get("expiresAt").asText()).isNotBlank();
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("gamewire_console=").contains("; Path=/").contains("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Max-Age=28800").doesNotContain("Secure");
        String cookie = cookie(setCookie);
        assertThat(cookie.substring("gamewire_console=".length())).as("256 bits, base64url").hasSize(43);

        assertThat(send(get("/v1/admin/pulls").header("Cookie", cookie)).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = send(post("/console/logout", "application/json", "").header("Cookie", cookie));
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().firstValue("Set-Cookie")).hasValueSatisfying(value -> assertThat(value).contains("Max-Age=0"));
        HttpResponse<String> after = send(get("/v1/admin/pulls").header("Cookie", cookie));
        assertThat(after.statusCode()).isEqualTo(403);
        assertThat(after.body()).contains("log in again").doesNotContain(cookie.substring("gamewire_console=".length()));
    }

    @Test
    void aSessionCookieOpensTheTailAsItDoesAnyOtherRead() throws Exception {
        // the tail is served outside platform-http (TailSseEndpoint): it must hand the method to
        // adminAuthorization too, or a cookie-authorized GET counts as a state change (403)
        HttpResponse<InputStream> tail = gw.http().send(get("/v1/admin/tail?pattern=nothing.%23")
                .header("Cookie", login()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = tail.body()) {
            assertThat(tail.statusCode()).isEqualTo(200);
            assertThat(tail.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
        }
    }

    @Test
    void aLoginWithAWrongOrMissingTokenIsRefusedAndOpensNoSession() throws Exception {
        HttpResponse<String> wrong = send(post("/console/login", "application/json", "{\"token\":\"nope\"}"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(wrong.body()).doesNotContain("nope");

        HttpResponse<String> missing = send(post("/console/login", "application/json", "{}"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("'token'");

        HttpResponse<String> unreadable = send(post("/console/login", "application/json", "{\"token\": secret-123"));
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).doesNotContain("secret-123");
    }

    @Test
    void theLoginFormRedirectsToTheConsoleOrBackToTheLoginPageWithItsNotice() throws Exception {
        HttpResponse<String> login = send(post("/console/login", "application/x-www-form-urlencoded", "token=" + token));
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        assertThat(login.headers().firstValue("Set-Cookie")).isPresent();

        HttpResponse<String> refused = send(post("/console/login", "application/x-www-form-urlencoded", "token=wrong"));
        assertThat(refused.statusCode()).isEqualTo(303);
        assertThat(refused.headers().firstValue("Location")).hasValue("/console/login#refused");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aStateChangeAuthorizedByTheCookieNeedsTheConsoleHeader() throws Exception {
        String cookie = login();
        String replay = "{\"queue\":\"" + gw.services.get(0) + "\",\"messageIds\":[\"00000000-0000-7000-8000-000000000000\"]}";

        HttpResponse<String> forged = send(post("/v1/admin/dlq/replay", "application/json", replay).header("Cookie", cookie));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-Gamewire-Console: 1");

        HttpResponse<String> fromTheConsole = send(post("/v1/admin/dlq/replay", "application/json", replay)
                .header("Cookie", cookie).header("X-Gamewire-Console", "1"));
        assertThat(fromTheConsole.statusCode()).as(fromTheConsole.body()).isEqualTo(200);
        assertThat(JSON.readTree(fromTheConsole.body()).get("replayed").asInt()).isZero();

        HttpResponse<String> withTheToken = send(post("/v1/admin/dlq/replay", "application/json", replay)
                .header("Authorization", "Bearer " + token));
        assertThat(withTheToken.statusCode()).as("a bearer token is no cookie: no header needed").isEqualTo(200);
    }

    @Test
    void thePageSendsABrowserWithoutASessionToTheLoginPageWhichIsServedToAnyone() throws Exception {
        HttpResponse<String> page = send(get("/console/"));
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/console/login");

        HttpResponse<String> loginPage = send(get("/console/login"));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(loginPage.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(loginPage.body()).contains("id=\"login-form\"").doesNotContain("<script");

        HttpResponse<String> withSession = send(get("/console/").header("Cookie", login()));
        assertThat(withSession.statusCode()).isEqualTo(200);
        assertThat(withSession.body()).contains("id=\"rates-charts\"").contains("/console/assets/uPlot.iife.min.js");
    }

    @Test
    void theConsoleFilesNeedASessionAndComeFromTheJarWithTypeAndValidators() throws Exception {
        assertThat(send(get("/console/assets/console.js")).statusCode()).isEqualTo(401);
        String cookie = login();

        HttpResponse<String> script = send(get("/console/assets/console.js").header("Cookie", cookie));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(script.body()).contains("X-Gamewire-Console");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        assertThat(send(get("/console/assets/console.js").header("Cookie", cookie).header("If-None-Match", etag))
                .statusCode()).isEqualTo(304);

        HttpResponse<String> uplot = send(get("/console/assets/uPlot.iife.min.js").header("Cookie", cookie));
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(send(get("/console/assets/uPlot.min.css").header("Cookie", cookie)).headers()
                .firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void nothingOutsideTheConsolesFoldersCanBeNamed() throws Exception {
        String cookie = login();
        for (String path : new String[] {"/console/assets/..%2F..%2Fgamewire%2Fapplication.properties",
                "/console/assets/..%2Fapplication.properties", "/console/assets/%2E%2E/%2E%2E/gamewire/application.properties",
                "/console/assets/logback.xml", "/console/assets/README.md", "/console/assets/.hidden.js"}) {
            HttpResponse<String> answer = send(get(path).header("Cookie", cookie));
            assertThat(answer.statusCode()).as(path).isIn(400, 404);
            assertThat(answer.body()).as(path).doesNotContain("gamewire.admin.token").doesNotContain("<configuration");
        }
        assertThat(send(get("/console/assets/nope.js").header("Cookie", cookie)).statusCode()).isEqualTo(404);
    }

    @Test
    void theEleventhWrongLoginFromAnAddressIs429AndThenSoIsTheRightTokenThereButNowhereElse() throws Exception {
        String client = "198.51.100.11";
        for (int i = 1; i <= 10; i++) {
            HttpResponse<String> wrong = send(post("/console/login", "application/json", "{\"token\":\"wrong-" + i + "\"}")
                    .header("X-Forwarded-For", client));
            assertThat(wrong.statusCode()).as("wrong login %d", i).isEqualTo(403);
        }

        HttpResponse<String> eleventh = send(post("/console/login", "application/json", "{\"token\":\"wrong-11\"}")
                .header("X-Forwarded-For", client));
        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(eleventh.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(eleventh.body()).contains("gamewire.admin.auth-failures-per-minute").doesNotContain("wrong-11")
                .doesNotContainIgnoringCase("token");
        assertThat(eleventh.headers().firstValue("Set-Cookie")).isEmpty();

        // while limited, the right token gets no further from that address: JSON and form login, bearer, the tail
        HttpResponse<String> right = send(post("/console/login", "application/json", "{\"token\":\"" + token + "\"}")
                .header("X-Forwarded-For", client));
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> form = send(post("/console/login", "application/x-www-form-urlencoded", "token=" + token)
                .header("X-Forwarded-For", client));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(form.headers().firstValue("Location")).hasValue("/console/login#limited");
        assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send(get("/v1/admin/pulls").header("Authorization", "Bearer " + token).header("X-Forwarded-For", client))
                .statusCode()).isEqualTo(429);
        HttpResponse<String> tail = send(get("/v1/admin/tail?pattern=nothing.%23").header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", client));
        assertThat(tail.statusCode()).as(tail.body()).isEqualTo(429);
        assertThat(tail.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(get("/v1/admin/jolokia/version").header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", client)).statusCode()).isEqualTo(429);
        // a call without credentials is no attempt: still the 401 and its challenge
        assertThat(send(get("/v1/admin/pulls").header("X-Forwarded-For", client)).statusCode()).isEqualTo(401);
        // the login page shows the notice the form was sent to
        assertThat(send(get("/console/login")).body()).contains("id=\"limited\"");

        // other addresses are not affected: another client behind the proxy, the proxy itself
        assertThat(send(get("/v1/admin/pulls").header("Authorization", "Bearer " + token)
                .header("X-Forwarded-For", "198.51.100.12")).statusCode()).isEqualTo(200);
        assertThat(send(get("/v1/admin/pulls").header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
        // nor is a client that is no trusted proxy and names the limited address itself: it is counted as what it is
        assertThat(rawGet("127.0.0.2", "/v1/admin/pulls", "Authorization: Bearer " + token, "X-Forwarded-For: " + client)
                .status()).isEqualTo(200);
    }

    @Test
    void successfulLoginsAndCallsAreNotCountedAsFailures() throws Exception {
        String client = "198.51.100.21";
        for (int i = 1; i <= 9; i++) {
            assertThat(send(post("/console/login", "application/json", "{\"token\":\"wrong\"}")
                    .header("X-Forwarded-For", client)).statusCode()).isEqualTo(403);
        }
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> login = send(post("/console/login", "application/json", "{\"token\":\"" + token + "\"}")
                    .header("X-Forwarded-For", client));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(send(get("/v1/admin/pulls").header("Cookie", cookie(login.headers().firstValue("Set-Cookie").orElseThrow()))
                    .header("X-Forwarded-For", client)).statusCode()).isEqualTo(200);
        }

        assertThat(send(post("/console/login", "application/json", "{\"token\":\"wrong\"}")
                .header("X-Forwarded-For", client)).statusCode()).as("the tenth failure").isEqualTo(403);
        assertThat(send(post("/console/login", "application/json", "{\"token\":\"wrong\"}")
                .header("X-Forwarded-For", client)).statusCode()).as("the eleventh").isEqualTo(429);
    }

    @Test
    void withoutATrustedProxyInFrontTheSocketsAddressCountsWhateverXForwardedForSays() throws Exception {
        // 127.0.0.3 is no trusted proxy: each of its wrong tokens counts against 127.0.0.3, the names it makes up
        // in X-Forwarded-For change nothing
        for (int i = 1; i <= 10; i++) {
            RawAnswer wrong = rawGet("127.0.0.3", "/v1/admin/pulls", "Authorization: Bearer wrong-" + i,
                    "X-Forwarded-For: 203.0.113." + i);
            assertThat(wrong.status()).as("wrong token %d", i).isEqualTo(403);
        }
        RawAnswer limited = rawGet("127.0.0.3", "/v1/admin/pulls", "Authorization: Bearer " + token,
                "X-Forwarded-For: 203.0.113.99");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsKey("retry-after");

        assertThat(rawGet("127.0.0.2", "/v1/admin/pulls", "Authorization: Bearer " + token).status())
                .as("another address").isEqualTo(200);
    }

    @Test
    void jolokiaSitsBehindTheAdminToken() throws Exception {
        HttpResponse<String> none = send(get("/v1/admin/jolokia/version"));
        assertThat(none.statusCode()).isEqualTo(401);
        // Hawtio (and a browser) prompt for a user name and password on Basic; the rest of /v1/admin asks for Bearer
        assertThat(none.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"gamewire\"");
        assertThat(send(get("/v1/admin/jolokia/version").header("Cookie", login())).headers()
                .allValues("WWW-Authenticate")).containsExactly("Basic realm=\"gamewire\"");
        assertThat(send(get("/v1/admin/jolokia/version").header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(403);

        HttpResponse<String> version = send(get("/v1/admin/jolokia/version").header("Authorization", "Bearer " + token));
        assertThat(version.statusCode()).as(version.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(version.body());
        assertThat(answer.get("status").asInt()).isEqualTo(200);
        assertThat(answer.at("/value/agent").asText()).isNotBlank();

        // Hawtio connects with a user name and password: the token as the password
        String basic = Base64.getEncoder().encodeToString(("hawtio:" + token).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> read = send(post("/v1/admin/jolokia", "application/json",
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=gamewire,type=context,name=\\\"gamewire\\\"\","
                        + "\"attribute\":\"State\"}").header("Authorization", "Basic " + basic));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("value").asText()).isEqualTo("Started");
    }

    @Test
    void jolokiaReadsEverythingButRunsNoOperationOutsideCamelAndTakesNoSessionCookie() throws Exception {
        HttpResponse<String> read = send(get("/v1/admin/jolokia/read/java.lang:type=Memory/HeapMemoryUsage")
                .header("Authorization", "Bearer " + token));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).at("/value/used").asLong()).isPositive();

        // a JVM command through Jolokia's GET protocol, and the same as a POST: both refused by the policy
        HttpResponse<String> execGet = send(get("/v1/admin/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmVersion")
                .header("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(execGet.body()).get("status").asInt()).as(execGet.body()).isEqualTo(403);
        assertThat(execGet.body()).doesNotContain("OpenJDK").doesNotContain("JDK ");
        HttpResponse<String> execPost = send(post("/v1/admin/jolokia", "application/json",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmVersion\"}")
                .header("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(execPost.body()).get("status").asInt()).as(execPost.body()).isEqualTo(403);
        HttpResponse<String> dumpHeap = send(post("/v1/admin/jolokia", "application/json",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\","
                        + "\"arguments\":[\"/tmp/gamewire-" + gw.id + ".hprof\",true]}")
                .header("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(dumpHeap.body()).get("status").asInt()).as(dumpHeap.body()).isEqualTo(403);
        assertThat(Path.of("/tmp/gamewire-" + gw.id + ".hprof")).doesNotExist();

        // Camel's own operations still run: what Hawtio's Camel plugin does
        HttpResponse<String> camel = send(post("/v1/admin/jolokia", "application/json",
                "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=gamewire,type=context,name=\\\"gamewire\\\"\","
                        + "\"operation\":\"dumpRoutesAsXml()\"}").header("Authorization", "Bearer " + token));
        assertThat(JSON.readTree(camel.body()).get("status").asInt()).as(camel.body()).isEqualTo(200);

        // a console session may read the admin API, but not Jolokia: a GET there can run operations
        HttpResponse<String> cookie = send(get("/v1/admin/jolokia/version").header("Cookie", login()));
        assertThat(cookie.statusCode()).as(cookie.body()).isEqualTo(401);
        assertThat(cookie.body()).contains("a console session is not enough");
    }

    @Test
    void theTailTakesCredentialsOnlyFromHeadersNeverFromTheQueryString() throws Exception {
        String session = login();
        String bearer = java.net.URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8);
        assertThat(send(get("/v1/admin/tail?pattern=nothing.%23&Authorization=" + bearer)).statusCode()).isEqualTo(401);
        assertThat(send(get("/v1/admin/tail?pattern=nothing.%23&Cookie="
                + java.net.URLEncoder.encode(session, StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);
        // nor does a parameter replace a header that is there
        assertThat(send(get("/v1/admin/tail?pattern=nothing.%23&Authorization=" + bearer)
                .header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(403);

        // the session's cookie in the second of two Cookie headers is found (they are joined, not replaced)
        HttpResponse<InputStream> tail = gw.http().send(get("/v1/admin/tail?pattern=nothing.%23")
                .header("Cookie", "theme=dark").header("Cookie", session).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = tail.body()) {
            assertThat(tail.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void camelJBangsCliConnectorWritesAStatusFileNamingGamewiresRoutes() {
        Path status = Path.of(System.getProperty("user.home"), ".camel", ProcessHandle.current().pid() + "-status.json");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(status).exists();
            String json = Files.readString(status);
            assertThat(json).contains("\"routeId\":\"console-page\"").contains("\"routeId\":\"http-ingest-event\"");
        });
    }

    /** An answer read off a socket: its status and headers (names in lower case). */
    private record RawAnswer(int status, java.util.Map<String, String> headers) {
    }

    /**
     * A GET from the local address {@code from} (any 127.0.0.0/8 address is this machine's): the JDK's
     * HttpClient cannot choose its local address, so the request is written by hand.
     */
    private static RawAnswer rawGet(String from, String path, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", gw.httpPort), 5_000);
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gw.httpPort
                    + "\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            java.util.Map<String, String> answerHeaders = new java.util.HashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                answerHeaders.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
            return new RawAnswer(status, answerHeaders);
        }
    }

    /** A new session's cookie, as {@code name=value}. */
    private static String login() throws Exception {
        HttpResponse<String> login = send(post("/console/login", "application/json", "{\"token\":\"" + token + "\"}"));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return cookie(login.headers().firstValue("Set-Cookie").orElseThrow());
    }

    private static String cookie(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    }

    private static HttpRequest.Builder post(String path, String contentType, String body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gw.httpPort + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return gw.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

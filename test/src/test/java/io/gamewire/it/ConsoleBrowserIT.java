package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.sql.SqlEventStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The web console in a real headless Chromium: Debian's {@code chromium} driven through Debian's
 * {@code chromedriver} ({@code webdriver.chrome.driver}), so Selenium Manager downloads nothing.
 * Missing either fails the test, naming the package to install ({@code .ci/run} installs both).
 *
 * <p>An operator's session end to end: the titles and queues shown, events sent over HTTP counted
 * by the chart of their routing key (the count beside it and the sum of the chart's own data) and
 * streamed by the tail with a redacted field as {@code "***"}, a dead letter seen in the tail and
 * the queues table, listed and replayed from the page, and a pull run with "Run now" until its
 * summary. A session lost while the page is open (ended elsewhere, or its cookie gone) sends the
 * browser to the login page. The Capacity panel: the planner's absence, then (with in-memory stand-ins
 * for the archive and the planner) a decision, a service's summary and its picture. Leaves screenshots of
 * the live page in {@code test/target/console-screenshot.png} and of the Capacity panel in
 * {@code test/target/console-capacity-screenshot.png}.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "console-screenshot.png");
    static final Path CAPACITY_SCREENSHOT = Path.of("target", "console-capacity-screenshot.png");
    /** The slow machine's margin for what the page shows after its next poll (every 1.5 to 5 s). */
    static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    /** The pull's three cursor pages, four items (as PullCommandIT serves them). */
    private static final List<String> PAGES = List.of(
            "{\"items\": [{\"player\": \"ann\", \"points\": 3, \"at\": 10}, {\"player\": \"bo\", \"points\": 5, \"at\": 11}],"
                    + " \"next\": \"p2\"}",
            "{\"items\": [{\"player\": \"cy\", \"points\": 8, \"at\": 12}], \"next\": \"p3\"}",
            "{\"items\": [{\"player\": \"di\", \"points\": 1, \"at\": 13}]}");

    private static GamewireUnderTest gw;
    private static PublisherApi publisher;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver; .ci/run does)").isExecutable();
        publisher = new PublisherApi(request -> {
            String query = request.getQuery();
            return PAGES.get(query != null && query.contains("cursor=p2") ? 1
                    : query != null && query.contains("cursor=p3") ? 2 : 0);
        }, Duration.ofMillis(200));
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", token());
        // the pull only runs when the page asks (its schedule is hourly, and not scheduled here)
        gw.overrides.put("gamewire.pulls.enabled", "false");
        // queue figures a second old rather than five, so the dead letter's count shows soon
        gw.overrides.put("gamewire.ops.queue-poll-interval-ms", "1000");
        gw.writeTitle(gw.titleYamlWithPull("pulls-paged", publisher.url()));
        gw.start();
        // nothing from the network: with the driver given (the service's executable, and
        // webdriver.chrome.driver for anything that looks there) Selenium never runs Selenium Manager,
        // which would otherwise look for a driver and a browser to download
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1500");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (gw != null) {
                    gw.close();
                }
            } finally {
                if (publisher != null) {
                    publisher.close();
                }
            }
        }
    }

    @BeforeEach
    void withoutASession() {
        browser.get(url("/console/login"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void anOperatorWatchesLiveTrafficReplaysADeadLetterAndRunsAPullFromThePage() throws Exception {
        String prodScores = gw.services.get(1);
        String signups = prodScores + ".signup";
        logIn();

        // titles: environments, services, pulls
        waitUntil(() -> present("title-" + gw.title));
        // queues: the prod scores queue with its consumers
        waitUntil(() -> cells("queue-" + prodScores) != null);
        List<String> queue = cells("queue-" + prodScores);
        assertThat(queue.get(0)).isEqualTo(prodScores);
        assertThat(Integer.parseInt(queue.get(3))).as("consumers of " + prodScores).isPositive();

        // a click on the title narrows the rates and the tail to it; the tail also shows dead letters
        assertThat(cells("title-" + gw.title)).containsExactly(gw.title, "dev, prod", "scores, players", "1");
        click("title-focus-" + gw.title);
        assertThat(value("tail-pattern")).isEqualTo(gw.title + ".#");
        browser.findElement(By.id("tail-dead-letters")).click();
        browser.findElement(By.id("tail-start")).click();
        waitUntil(() -> text("tail-state").startsWith("streaming " + gw.title + ".# with dead letters"));

        // events over HTTP: the chart of their routing key counts them, and counts again as more come
        sendSignups(signups, "ada", "bo");
        waitUntil(() -> chartCounts(signups, 2));
        sendSignups(signups, "cy");
        waitUntil(() -> chartCounts(signups, 3));
        assertThat(text("rate-count-" + signups)).startsWith("3 events, ");
        assertThat(text("rate-detail-" + signups)).contains("http 3");

        // ... and the tail streams them, their redacted email as "***"
        waitUntil(() -> tailRows(signups).size() == 3);
        assertThat(tailRows(signups)).allSatisfy(row -> assertThat(row)
                .contains("events|", " http EVENT ", "\"email\":\"***\"").doesNotContain("@example.com"));

        // a dead letter: in the tail (asked for), counted in the queues table, listed and replayed from there
        UUID dead = deadLetter(prodScores);
        waitUntil(() -> tailRows(prodScores + ".end").stream().anyMatch(row -> row.startsWith("dead-letters|" + dead)));
        waitUntil(() -> text("queue-dlq-" + prodScores).equals("1"));
        click("queue-dlq-" + prodScores);
        waitUntil(() -> present("dlq-" + dead));
        assertThat(value("dlq-queue")).isEqualTo(prodScores);
        assertThat(text("dlq-" + dead)).contains("the database was gone");
        click("dlq-replay-" + dead);
        waitUntil(() -> text("dlq-result").startsWith("replayed 1 of " + prodScores + ".dlq"));
        assertThat(present("dlq-" + dead)).as("the replayed dead letter's row").isFalse();
        SqlEventStore events = gw.bean("sqlEventStore", SqlEventStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.countById(dead) == 1);
        waitUntil(() -> tailRows(prodScores + ".end").stream().anyMatch(row -> row.startsWith("events|" + dead)));
        waitUntil(() -> text("rate-detail-" + prodScores + ".end").contains("1 dead-lettered"));

        // the pull, run now from its row: followed until its summary, its items stored and charted
        String pullRow = "pull-" + gw.title + ".scores";
        waitUntil(() -> cells(pullRow) != null);
        assertThat(cells(pullRow).get(1)).isEqualTo("every 1h (not scheduled here)");
        click("pull-run-" + gw.title + ".scores");
        waitUntil(() -> "ok".equals(attribute("pull-result", "data-outcome")));
        assertThat(text("pull-result")).startsWith("pull " + gw.title + "/scores ok: 3 pages, 4 items (4 published,");
        assertThat(publisher.requestCount()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.count("SELECT COUNT(*) FROM " + gw.title + "_scores") == 4);
        waitUntil(() -> cells(pullRow) != null && cells(pullRow).get(3).equals("13"));
        waitUntil(() -> chartCounts(gw.services.get(0) + ".scored", 4));
        assertThat(text("rate-detail-" + gw.services.get(0) + ".scored")).contains("pull 4");
        assertThat(text("rates-error")).isEmpty();
        assertThat(text("queues-error")).isEmpty();
        assertThat(text("pulls-error")).isEmpty();

        script("window.scrollTo(0, 0)"); // the clicks scrolled the page
        Files.createDirectories(SCREENSHOT.getParent());
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    @Test
    void aRefusedCallShowsTheApisMessageInItsPart() {
        logIn();
        browser.findElement(By.id("rates-pattern")).clear();
        browser.findElement(By.id("rates-pattern")).sendKeys("halo..#");
        browser.findElement(By.id("rates-apply")).click();
        waitUntil(() -> text("rates-error").startsWith("parameter 'pattern': "));

        browser.findElement(By.id("dlq-queue")).sendKeys("nope.prod.nothing");
        browser.findElement(By.id("dlq-list")).click();
        waitUntil(() -> text("dlq-error").equals("no title file defines the service 'nope.prod.nothing'"));

        browser.findElement(By.id("tail-pattern")).clear();
        browser.findElement(By.id("tail-pattern")).sendKeys("halo..#");
        browser.findElement(By.id("tail-start")).click();
        waitUntil(() -> text("tail-state").startsWith("refused: "));
        assertThat(browser.findElement(By.id("tail-start")).isEnabled()).isTrue();
    }

    @Test
    void theCapacityPanelSaysThePlannerIsOffThenShowsAServicesSummaryAndPicture() throws Exception {
        String service = gw.services.get(1);
        logIn();
        if (gw.bean("capacityPlanner", io.gamewire.capacity.plan.CapacityPlans.class) == null) {
            waitUntil(() -> text("capacity-error").contains("capacity planner is off"));
        }

        CapacityIT.bindStandIns(gw, service);
        // gamewire's own planner may have drawn a row for the service before the stand-in was bound:
        // wait for the poll that reads the stand-in's decision, not just for any row
        List<String> expected = List.of(service, "RECOMMEND", "2", "4", "no");
        waitUntil(() -> {
            List<String> row = cells("capacity-" + service);
            return row != null && row.size() >= 5 && row.subList(0, 5).equals(expected);
        });
        click("capacity-show-" + service);
        waitUntil(() -> text("capacity-summary").startsWith(service + " at "));
        assertThat(text("capacity-summary")).contains("forecast peak", "2 now, 4 planned");
        // the <img> of /v1/admin/capacity/{service}.png, fetched by the browser with the session cookie
        waitUntil(() -> ((Number) script("const i = document.getElementById('capacity-picture');"
                + " return i.complete ? i.naturalWidth : 0")).intValue() > 0);
        assertThat(attribute("capacity-picture", "src")).contains("/v1/admin/capacity/" + service + ".png?hours=24");
        assertThat(text("capacity-report-error")).isEmpty();

        Path shot = browser.findElement(By.id("capacity-section")).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(CAPACITY_SCREENSHOT.getParent());
        Files.copy(shot, CAPACITY_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aLostSessionSendsThePageToTheLoginPage() throws Exception {
        browser.get(url("/console/"));
        assertThat(browser.getCurrentUrl()).as("no session: the login page").endsWith("/console/login");
        browser.findElement(By.id("token")).sendKeys("wrong");
        browser.findElement(By.id("login")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("#refused") && browser.findElement(By.id("refused")).isDisplayed());
        assertThat(browser.findElement(By.id("limited")).isDisplayed()).as("only the notice the fragment names").isFalse();

        // the session ended elsewhere while the page is open (the server no longer knows it, as
        // after its expiry): the page's next call is refused (403) and it goes to the login page
        logIn();
        Cookie session = browser.manage().getCookieNamed("gamewire_console");
        assertThat(session).as("the session cookie").isNotNull();
        HttpResponse<String> logout = gw.http().send(HttpRequest.newBuilder(URI.create(url("/console/logout")))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", "gamewire_console=" + session.getValue())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(204);
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/login"));

        // the cookie gone (401): the same
        logIn();
        browser.manage().deleteCookieNamed("gamewire_console");
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/login"));

        // logging out from the page
        logIn();
        browser.findElement(By.id("logout")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/login"));
        browser.get(url("/console/"));
        assertThat(browser.getCurrentUrl()).as("logged out: back to the login page").endsWith("/console/login");

        // where a login from an address past gamewire.admin.auth-failures-per-minute is sent (ConsoleSecurityIT
        // gets there for real): the page shows that notice
        browser.get(url("/console/login#limited"));
        waitUntil(() -> browser.findElement(By.id("limited")).isDisplayed());
        assertThat(browser.findElement(By.id("limited")).getText()).contains("Too many failed logins");
        assertThat(browser.findElement(By.id("refused")).isDisplayed()).isFalse();
    }

    private static String token() {
        return "admin-" + gw.id;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + gw.httpPort + path;
    }

    /** Logs in through the form and waits until the page has shown its first figures. */
    private static void logIn() {
        browser.get(url("/console/"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        browser.findElement(By.id("token")).sendKeys(token());
        browser.findElement(By.id("login")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/") && text("status").startsWith("updated "));
    }

    private static void sendSignups(String routingKey, String... players) throws Exception {
        for (String player : players) {
            HttpResponse<String> sent = gw.post("/v1/events/" + routingKey, "application/json",
                    "{\"player\": \"" + player + "\", \"email\": \"" + player + "@example.com\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        }
    }

    /** Whether the chart of a routing key shows {@code events} beside it and holds them in its data. */
    private static boolean chartCounts(String routingKey, int events) {
        String box = "rate-" + routingKey;
        return String.valueOf(events).equals(attribute(box, "data-total"))
                && String.valueOf(events).equals(attribute(box, "data-plotted"));
    }

    /** The tail's rows of a routing key as {@code exchange|messageId|text}, newest first. */
    @SuppressWarnings("unchecked")
    private static List<String> tailRows(String routingKey) {
        return (List<String>) script("return Array.from(document.querySelectorAll('#tail-events li'))"
                + ".filter(li => li.dataset.routingKey === arguments[0])"
                + ".map(li => li.dataset.exchange + '|' + li.dataset.messageId + '|' + li.textContent)", routingKey);
    }

    /** The texts of a table row's cells, or null when there is no such row. */
    @SuppressWarnings("unchecked")
    private static List<String> cells(String rowId) {
        return (List<String>) script("const row = document.getElementById(arguments[0]);"
                + " return row ? Array.from(row.cells).map(c => c.textContent) : null", rowId);
    }

    /** An element's text, "" when it is not on the page (read in one go: rows are redrawn at every poll). */
    private static String text(String id) {
        return (String) script("const e = document.getElementById(arguments[0]); return e ? e.textContent : ''", id);
    }

    private static boolean present(String id) {
        return (Boolean) script("return document.getElementById(arguments[0]) !== null", id);
    }

    private static String attribute(String id, String name) {
        return (String) script("const e = document.getElementById(arguments[0]); return e ? e.getAttribute(arguments[1]) : null",
                id, name);
    }

    private static String value(String id) {
        return browser.findElement(By.id(id)).getDomProperty("value");
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Clicks an element as a user would, again if the poll redrew it between finding and clicking. */
    private static void click(String id) {
        new WebDriverWait(browser, PAGE_WAIT).ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class).until(driver -> {
                    driver.findElement(By.id(id)).click();
                    return true;
                });
    }

    /** An event put straight into the service's dead-letter queue, as DeadLetterIT does. */
    private static UUID deadLetter(String service) throws Exception {
        ConnectionFactory connections = gw.bean("connectionFactory", ConnectionFactory.class);
        UUID id = MessageIds.next();
        byte[] frame = new EnvelopeCodec().encode(Envelope.event(id, System.currentTimeMillis(), "application/json",
                service + ".end", "{}".getBytes(StandardCharsets.UTF_8)));
        new RabbitTemplate(connections).send(gw.deadLetterExchange, service + ".end", MessageBuilder.withBody(frame)
                .setMessageId(id.toString()).setContentType("application/x-gwp")
                .setHeader(DeadLetters.REASON, "the database was gone").setHeader(DeadLetters.ATTEMPTS, 5).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> new RabbitAdmin(connections)
                .getQueueInfo(BusTopology.deadLetterQueue(service)).getMessageCount() == 1);
        return id;
    }

    private static void waitUntil(BooleanSupplier condition) {
        new WebDriverWait(browser, PAGE_WAIT).withMessage(ConsoleBrowserIT::pageState)
                .until(driver -> condition.getAsBoolean());
    }

    /** What a failed wait reports: where the browser is and what the page says in its status lines. */
    private static String pageState() {
        try {
            return "the page at " + browser.getCurrentUrl() + " shows " + script("return Array.from(document.querySelectorAll("
                    + "'#status, .error, #tail-state, #dlq-result, #pull-result')).map(e => (e.id || e.className) + ': '"
                    + " + e.textContent).join(' | ')");
        } catch (RuntimeException e) {
            return "the page could not be read: " + e;
        }
    }
}

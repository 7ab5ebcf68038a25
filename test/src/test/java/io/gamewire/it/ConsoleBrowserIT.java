package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.protocol.Envelope;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.MessageIds;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import io.gamewire.sinks.sql.SqlEventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The web console in a real headless Chromium: Debian's {@code chromium} driven through Debian's
 * {@code chromedriver} ({@code webdriver.chrome.driver}), so Selenium Manager downloads nothing.
 * Missing either fails the test, naming the package to install ({@code .ci/run} installs both).
 * Leaves a screenshot in {@code test/target/console-screenshot.png}.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "console-screenshot.png");

    private static GamewireUnderTest gw;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver; .ci/run does)").isExecutable();
        gw = new GamewireUnderTest();
        gw.overrides.put("gamewire.admin.token", "admin-" + gw.id);
        gw.start();
        // nothing from the network: the driver is given, Selenium Manager stays off
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1600");
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
            gw.close();
        }
    }

    @Test
    void anOperatorLogsInSeesThePullsAndReplaysADeadLetterFromThePage() throws Exception {
        String service = gw.services.get(1);
        UUID dead = deadLetter(service);

        browser.get("http://127.0.0.1:" + gw.httpPort + "/console/");
        assertThat(browser.getCurrentUrl()).as("no session: the login page").endsWith("/console/login");
        browser.findElement(By.id("token")).sendKeys("wrong");
        browser.findElement(By.id("login")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("#refused") && browser.findElement(By.id("refused")).isDisplayed());
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys("admin-" + gw.id);
        browser.findElement(By.id("login")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/"));

        browser.findElement(By.id("dlq-queue")).sendKeys(service);
        browser.findElement(By.id("dlq-list")).click();
        waitUntil(() -> !browser.findElements(By.id("dlq-" + dead)).isEmpty());
        assertThat(browser.findElement(By.id("dlq-" + dead)).getText()).contains("the database was gone");

        browser.findElement(By.id("dlq-replay-" + dead)).click();
        waitUntil(() -> browser.findElement(By.id("dlq-result")).getText().startsWith("replayed 1"));
        assertThat(browser.findElements(By.id("dlq-" + dead))).isEmpty();
        SqlEventStore events = gw.bean("sqlEventStore", SqlEventStore.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> events.countById(dead) == 1);

        Files.createDirectories(SCREENSHOT.getParent());
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

        browser.findElement(By.id("logout")).click();
        waitUntil(() -> browser.getCurrentUrl().endsWith("/console/login"));
        browser.get("http://127.0.0.1:" + gw.httpPort + "/console/");
        assertThat(browser.getCurrentUrl()).as("logged out: back to the login page").endsWith("/console/login");
    }

    /** An event put straight into the service's dead-letter queue, as DeadLetterIT does. */
    private static UUID deadLetter(String service) throws Exception {
        RabbitTemplate template = new RabbitTemplate(gw.bean("connectionFactory", ConnectionFactory.class));
        UUID id = MessageIds.next();
        byte[] frame = new EnvelopeCodec().encode(Envelope.event(id, System.currentTimeMillis(), "application/json",
                service + ".end", "{}".getBytes(StandardCharsets.UTF_8)));
        template.send(gw.deadLetterExchange, service + ".end", MessageBuilder.withBody(frame).setMessageId(id.toString())
                .setContentType("application/x-gwp").setHeader(DeadLetters.REASON, "the database was gone")
                .setHeader(DeadLetters.ATTEMPTS, 5).build());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new org.springframework.amqp.rabbit.core.RabbitAdmin(
                gw.bean("connectionFactory", ConnectionFactory.class)).getQueueInfo(BusTopology.deadLetterQueue(service))
                .getMessageCount() == 1);
        return id;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> condition.getAsBoolean());
    }
}

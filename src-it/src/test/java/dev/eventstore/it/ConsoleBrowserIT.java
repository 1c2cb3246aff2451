package dev.eventstore.it;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The operations console of the sample EAR in a real browser: headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs) driven by Selenium. An operator searches by a wildcard
 * event type and a metadata filter, opens the event, follows its correlation link, finds the customer totals parked on
 * an event the test JVM appended on purpose (an order line for an order the sample never saw), fixes the cause and
 * unparks it from the projections page after the confirmation; a viewer gets no action and is refused one. Every page
 * is saved as a screenshot under {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleBrowserIT {

    private static final String SAMPLE = System.getProperty("sample.base.url");
    private static final String CONSOLE = SAMPLE.replace("/orders/api", "/console");
    private static final String PROJECTION = "customer-totals-v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("sample.ear")));
    }

    @Test
    void anOperatorFindsFollowsAndUnparksAndAViewerIsRefused() throws Exception {
        String run = UUID.randomUUID().toString();
        String correlation = "browser-" + run;
        String orderId = "browser-order-" + run;
        String customer = "browser-customer-" + run;
        long poison = appendMarkerAndPoison(run, correlation, orderId);
        WebDriver operator = chromium("operator", "Operator-demo-1");
        try {
            WebDriverWait wait = new WebDriverWait(operator, TIMEOUT);
            operator.get(CONSOLE + "/#/events");
            wait.until(ExpectedConditions.textToBe(By.id("me"), "operator (operator)"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("total")));

            // search: wildcard event type and metadata containment
            type(operator, "f-eventType", "browser.*");
            type(operator, "f-metadata", "{\"run\":\"" + run + "\"}");
            operator.findElement(By.id("search-button")).click();
            wait.until(ExpectedConditions.textToBe(By.id("total"), "1 matching event"));
            assertTrue(operator.findElement(By.id("events")).getText().contains("browser.checked"));
            screenshot(operator, "1-events-search");

            // the event's detail
            operator.findElement(By.cssSelector("#events a.event-link")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("metadata"), run));
            assertTrue(operator.findElement(By.id("event-fields")).getText().contains(correlation));
            screenshot(operator, "2-event-detail");

            // its correlation link: the marker and the order line it caused
            operator.findElement(By.linkText("all 2 correlated events")).click();
            wait.until(ExpectedConditions.textToBe(By.id("total"), "2 matching events"));
            assertTrue(operator.findElement(By.id("events")).getText().contains("OrderLineAdded"));
            screenshot(operator, "3-correlated-events");

            // the customer totals are parked on the order line of an unknown order
            operator.get(CONSOLE + "/#/projections");
            By row = By.cssSelector("#projections tr[data-projection='" + PROJECTION + "']:not([data-segment])");
            wait.until(d -> stateOf(d, row).equals("PARKED"));
            String parkedRow = operator.findElement(row).getText();
            assertTrue(parkedRow.contains("at event " + poison), parkedRow);
            screenshot(operator, "4-projection-parked");

            // fix the cause (the order now exists), then unpark with the confirmation
            fixCause(orderId, customer);
            wait.until(d -> click(d, By.cssSelector("#projections tr[data-projection='" + PROJECTION
                    + "']:not([data-segment]) button[data-action='unpark']")));
            String question = wait.until(ExpectedConditions.alertIsPresent()).getText();
            assertEquals("Unpark " + PROJECTION + "?", question);
            operator.switchTo().alert().accept();
            wait.until(d -> stateOf(d, row).equals("RUNNING"));
            wait.until(d -> customerTotalsHaveLine(customer));
            screenshot(operator, "5-projection-unparked");
        } catch (RuntimeException | AssertionError e) {
            throw failure(operator, e);
        } finally {
            operator.quit();
            unparkIfStillParked(orderId, customer);
        }

        WebDriver viewer = chromium("viewer", "Viewer-demo-1");
        try {
            WebDriverWait wait = new WebDriverWait(viewer, TIMEOUT);
            viewer.get(CONSOLE + "/#/projections");
            wait.until(ExpectedConditions.textToBe(By.id("me"), "viewer (viewer)"));
            By row = By.cssSelector("#projections tr[data-projection='" + PROJECTION + "']:not([data-segment])");
            wait.until(d -> stateOf(d, row).equals("RUNNING"));
            assertTrue(viewer.findElements(By.cssSelector("#projections button")).isEmpty(),
                    "a viewer is offered no action");
            // what the page would send for an action, from the viewer's signed-in browser
            Object status = ((JavascriptExecutor) viewer).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('api/projections/" + PROJECTION + "/pause', {method: 'POST', credentials:"
                            + " 'same-origin', headers: {'X-Requested-By': 'eventstore-console'}})"
                            + ".then(r => done(r.status), e => done(String(e)));");
            assertEquals(403L, status);
            screenshot(viewer, "6-viewer-projections");
        } catch (RuntimeException | AssertionError e) {
            throw failure(viewer, e);
        } finally {
            viewer.quit();
        }
    }

    /**
     * Headless Chromium signed in with HTTP Basic. A headless browser shows no credentials dialog and a URL with
     * credentials would leave the page unable to call its API (fetch refuses URLs with credentials), so the header
     * the dialog would produce is set for every request through the DevTools protocol of chromedriver.
     */
    private static WebDriver chromium(String user, String password) {
        Path browser = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(browser) || !Files.isExecutable(driver)) {
            fail("The browser tests need Debian's chromium and chromium-driver (" + browser + ", " + driver
                    + "): apt-get install -y chromium chromium-driver (.ci/run installs them when missing)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver chromium = new ChromeDriver(service, options);
        chromium.executeCdpCommand("Network.enable", Map.of());
        chromium.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))));
        chromium.get(CONSOLE + "/");
        new WebDriverWait(chromium, TIMEOUT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"),
                user));
        return chromium;
    }

    /** What the browser showed when a step failed: the page's text in the error, a screenshot next to the others. */
    private static AssertionError failure(WebDriver driver, Throwable cause) {
        String page;
        try {
            page = driver.getCurrentUrl() + "\n" + driver.findElement(By.tagName("body")).getText();
            screenshot(driver, "failed");
        } catch (Exception e) {
            page = "(not readable: " + e + ")";
        }
        return new AssertionError(cause.getMessage() + "\nThe page showed: " + page, cause);
    }

    private static void type(WebDriver driver, String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** The state cell of a row of the projections page, which re-renders every 5 seconds; "" until it is there. */
    private static String stateOf(WebDriver driver, By row) {
        try {
            List<WebElement> rows = driver.findElements(row);
            return rows.isEmpty() ? "" : rows.get(0).findElements(By.tagName("td")).get(1).getText();
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    private static boolean click(WebDriver driver, By button) {
        try {
            List<WebElement> found = driver.findElements(button);
            if (found.isEmpty()) {
                return false;
            }
            found.get(0).click();
            return true;
        } catch (StaleElementReferenceException e) {
            return false;
        }
    }

    private static void screenshot(WebDriver driver, String name) throws java.io.IOException {
        String server = "payara".equals(System.getProperty("arquillian.launch")) ? "payara"
                : Path.of(System.getProperty("jboss.home", "wildfly")).getFileName().toString();
        Path target = SCREENSHOTS.resolve(server + "-" + name + ".png");
        Files.createDirectories(SCREENSHOTS);
        Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("it.jdbc.url"), "postgres", "postgres");
    }

    /**
     * As another node of the sample would: a marker event to search for, and in its correlation, caused by it, an
     * order line for an order that has no overview, on which the customer totals fail until they park. Returns the
     * order line's position.
     */
    private static long appendMarkerAndPoison(String run, String correlation, String orderId) throws SQLException {
        try (Connection connection = connect()) {
            var store = PostgresEventStore.create(StoreConfig.defaults().withNotifyChannel("eventstore_it")).on(connection);
            Event marker = Event.builder("BrowserCheck", run, "browser.checked")
                    .jsonPayload("{\"run\":\"" + run + "\"}").metadata("{\"run\":\"" + run + "\"}")
                    .correlationId(correlation).build();
            store.append(ExpectedVersion.noStream(), List.of(marker));
            Event line = Event.builder("Order", orderId, "OrderLineAdded").topic("order.line.added")
                    .jsonPayload("{\"orderId\":\"" + orderId + "\",\"sku\":\"browser-it\",\"quantity\":1,"
                            + "\"unitPriceCents\":100}")
                    .metadata("{\"run\":\"" + run + "\",\"poison\":true}")
                    .correlationId(correlation).causationId(marker.eventId().toString()).build();
            store.append(ExpectedVersion.noStream(), List.of(line));
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT global_position FROM events WHERE event_id = ?")) {
                query.setObject(1, line.eventId());
                try (ResultSet position = query.executeQuery()) {
                    assertTrue(position.next());
                    return position.getLong(1);
                }
            }
        }
    }

    /** The order the line belongs to now exists in the sample's overview: the totals can handle the line. */
    private static void fixCause(String orderId, String customer) throws SQLException {
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO order_overview_v1 (order_id, currency, customer, line_count, status, total_cents,"
                        + " updated_at, version) VALUES (?, 'EUR', ?, 0, 'OPEN', 0, now(), 1)"
                        + " ON CONFLICT (order_id) DO NOTHING")) {
            insert.setString(1, orderId);
            insert.setString(2, customer);
            insert.executeUpdate();
        }
    }

    private static boolean customerTotalsHaveLine(String customer) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT lines FROM customer_totals_v1 WHERE customer = ?")) {
            query.setString(1, customer);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getInt(1) == 1;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Leaves the sample's projection running for the next tests even when this one failed half-way. */
    private static void unparkIfStillParked(String orderId, String customer) throws Exception {
        if (customerTotalsHaveLine(customer)) {
            return;
        }
        fixCause(orderId, customer);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(CONSOLE + "/api/projections/"
                        + PROJECTION + "/unpark"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "operator:Operator-demo-1".getBytes(StandardCharsets.UTF_8)))
                .header("X-Requested-By", "eventstore-console").POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

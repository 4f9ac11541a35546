package dev.caravan.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.support.HttpTestBase;
import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless chromium, driven through its chromedriver),
 * against Caravan on a random port with traffic made here: the rankings chart draws the models
 * that were used, an inference key sees its own usage, limit and activity, a management key sees
 * every key, and the key is kept in sessionStorage only. Skipped where chromium is not installed,
 * except under CI=true, where that is a failure (.ci/run installs it). Screenshots go to
 * target/dashboard-*.png (the README's, in docs/, are taken the same way).
 */
class DashboardBrowserTest extends HttpTestBase {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // as root in a sandbox with no network beyond loopback: no sandbox, no background calls home
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory("caravan-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void rankingsChartAndKeyViewsShowTheTraffic() throws Exception {
        JsonNode created = createKey("{\"name\":\"dashboard test\",\"limit\":5,\"limit_reset\":\"monthly\"}");
        String key = created.path("key").asText();
        // long answers, so these models rank in the top 10 whatever other tests sent
        for (String model : List.of("caravan/sim-small", "caravan/sim-small", "caravan/sim-large")) {
            assertThat(post("/chat/completions", chat(model, false), "Authorization", "Bearer " + key,
                    "X-Caravan-Sim-Completion-Tokens", "3000", "X-Title", "Dashboard Test App").statusCode())
                    .isEqualTo(200);
        }
        assertThat(post("/chat/completions", chat("caravan/sim-small", true), "Authorization", "Bearer " + key,
                "X-Caravan-Sim-Completion-Tokens", "3000").statusCode()).isEqualTo(200);
        awaitWritten();
        JsonNode expected = json(get("/key", key).body()).path("data");

        browser.get("http://127.0.0.1:" + port + "/");
        awaitLoaded("rankings");
        awaitLoaded("models");
        List<Object> series = (List<Object>) js("return caravanDashboard.charts['rankings-chart'].data.datasets.map(d => d.label)");
        assertThat(series).contains("caravan/sim-small", "caravan/sim-large");
        Number drawn = (Number) js("const c = caravanDashboard.charts['rankings-chart'];"
                + " return c.getDatasetMeta(c.data.datasets.findIndex(d => d.label === 'caravan/sim-small')).data"
                + ".filter(bar => bar.height > 0).length");
        assertThat(drawn.intValue()).as("days with a visible sim-small bar").isPositive();
        assertThat(browser.findElements(By.cssSelector("#rankings-table tr[data-model='caravan/sim-large']"))).hasSize(1);
        assertThat(browser.findElement(By.id("apps-table")).getText()).contains("Dashboard Test App");
        assertThat(browser.findElement(By.id("models-table")).getText()).contains("caravan/sim-small", "Simulator");
        screenshot("rankings");

        enterKey(key);
        assertMoney("key-usage", expected.path("usage").decimalValue());
        assertMoney("key-limit", new BigDecimal("5"));
        assertMoney("key-remaining", expected.path("limit_remaining").decimalValue());
        assertThat(expected.path("usage").decimalValue()).isPositive();
        assertThat(browser.findElements(By.cssSelector("#activity-table tr[data-model]")).stream()
                .map(row -> row.getAttribute("data-model")).toList())
                .containsExactlyInAnyOrder("caravan/sim-small", "caravan/sim-large");
        assertThat(browser.findElement(By.id("keys-panel")).isDisplayed()).isFalse();
        assertThat(js("return sessionStorage.getItem('caravan.key')")).isEqualTo(key);
        assertThat(js("return localStorage.length")).isEqualTo(0L);
        assertThat(js("return document.cookie")).isEqualTo("");
        screenshot("key");

        browser.findElement(By.id("key-forget")).click();
        assertThat(js("return sessionStorage.getItem('caravan.key')")).isNull();
        enterKey(MANAGEMENT_KEY);
        assertThat(browser.findElement(By.id("keys-panel")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("keys-table")).getText()).contains("dashboard test", expected.path("label").asText());
        screenshot("management");
    }

    private void enterKey(String key) {
        browser.findElement(By.id("key-input")).sendKeys(key);
        browser.findElement(By.id("key-use")).click();
        awaitLoaded("key");
    }

    private void assertMoney(String id, BigDecimal value) {
        String shown = browser.findElement(By.id(id)).getAttribute("data-value");
        assertThat(new BigDecimal(shown)).as(id).isEqualByComparingTo(value);
        assertThat(browser.findElement(By.id(id)).getText()).as(id).startsWith("$");
    }

    private void awaitLoaded(String view) {
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(b -> Boolean.TRUE.equals(js("return window.caravanDashboard && caravanDashboard.loaded['" + view + "'] === true")));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}

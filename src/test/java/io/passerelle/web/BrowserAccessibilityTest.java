package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.passerelle.PasserelleApplication;

/**
 * The citizen's journey in a real browser (issue 13): Debian's chromium, driven through the system
 * chromedriver, walks the demo sign-in (demo portal, demo mobile-ID provider), the consent page, the
 * account page, a withdrawal, the sign-out and one error page of each kind, in French, Dutch, German and
 * English, and every page of Passerelle is checked by axe-core (WCAG 2.1 A and AA) at 375 px (a phone)
 * and 1280 px wide. A violation fails the test, with axe's description of each.
 *
 * <p>axe-core is vendored under {@code src/test/resources/axe} (npm axe-core 4.14.1, MPL-2.0, its licence
 * beside it); nothing is downloaded at test time, and Selenium Manager is never asked for a driver. Without
 * chromium the test is skipped, with a message; under {@code CI=true} it fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserAccessibilityTest {

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final List<String> CHROMIUM = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium");
    private static final int PHONE = 375;
    private static final int DESKTOP = 1280;

    private ConfigurableApplicationContext gateway;
    private ChromeDriver browser;
    private Path profile;
    private Path config;
    private String base;
    private String axe;
    private final List<String> checked = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        String chromium = CHROMIUM.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        boolean present = chromium != null && new File(CHROMEDRIVER).canExecute();
        if (!present) {
            String message = "chromium and chromium-driver are not installed (" + CHROMEDRIVER + ", /usr/bin/chromium): "
                    + "apt-get install chromium chromium-driver (.ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true: the real-browser test cannot be skipped: " + message);
            }
            Assumptions.abort(message);
        }
        try (InputStream in = getClass().getResourceAsStream("/axe/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Chromium starts while the gateway does: the two slowest steps of this test, side by side.
        java.util.concurrent.CompletableFuture<ChromeDriver> starting = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> startChromium(chromium));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://localhost:" + port;
        config = demoConfigOn(port);
        try {
            gateway = new SpringApplicationBuilder(PasserelleApplication.class).run(
                    "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + port,
                    "--passerelle.issuer=" + base, "--passerelle.config-dir=" + config,
                    "--passerelle.demo.enabled=true", "--passerelle.keys.master-key=" + masterKey(),
                    "--spring.datasource.url=jdbc:h2:mem:browser-" + port + ";DB_CLOSE_DELAY=-1");
        } finally {
            browser = starting.join(); // quit in stop(), whether the gateway started or not
        }
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(20));

        // axe itself is checked first: a page with a known violation must be reported, or a silent no-op
        // would let every page pass.
        browser.get("data:text/html,<!DOCTYPE html><html lang=en><head><title>t</title></head>"
                + "<body><main><img src=x.png></main></body></html>");
        assertThat(axeViolations()).as("axe reports an image without alternative text").anyMatch(v -> v.startsWith("image-alt"));
    }

    private ChromeDriver startChromium(String chromium) {
        try {
            profile = Files.createTempDirectory("passerelle-chromium");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + DESKTOP + ",900");
        // The system driver, named explicitly: Selenium Manager never looks for (or downloads) one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The shipped config/ with the demo's addresses on this test's port (they name 8080 for mvn spring-boot:run). */
    private static Path demoConfigOn(int port) throws IOException {
        Path copy = Files.createTempDirectory("passerelle-browser-config");
        Path shipped = Path.of("config");
        try (Stream<Path> files = Files.walk(shipped)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(shipped.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, Files.readString(file).replace("localhost:8080", "localhost:" + port));
                }
            }
        }
        // A second key, whose provider is down: the chooser is shown, with that key "temporarily unavailable".
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Files.createDirectories(copy.resolve("connectors"));
        Files.writeString(copy.resolve("connectors/down-provider.yml"), """
                id: down-provider
                type: oidc
                display_name: {en: Provider that is down, fr: Fournisseur en panne, nl: Defecte aanbieder, de: Gestörter Anbieter}
                loa: high
                issuer: http://127.0.0.1:%d
                client_id: passerelle
                client_auth: private_key_jwt
                id_token_signing_alg: RS256
                connect_timeout: 300ms
                read_timeout: 300ms
                """.formatted(closed));
        return copy;
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    @AfterAll
    void stop() throws IOException {
        System.out.println("axe-core checked " + checked.size() + " page states without a WCAG 2.1 A/AA violation");
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (Path dir : new Path[] {profile, config}) {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void theCitizensJourneyWorksAndHasNoAccessibilityViolations(String language) {
        browser.manage().deleteAllCookies();
        // The language, chosen with the switcher's parameter on the first page (a cookie from then on).
        open("/account?lang=" + language);
        check("account sign-in", language);

        // The demo portal sends the citizen to sign in; one key reaches its level, so the chooser is skipped.
        open("/demo/portal");
        browser.findElement(By.cssSelector("a.button[href$='/demo/portal/login']")).click();
        waitFor("/signin");
        WebElement down = browser.findElement(By.cssSelector("form[action*='/signin/down-provider?'] button"));
        assertThat(down.isEnabled()).as("a key whose provider is down cannot be chosen").isFalse();
        check("key chooser", language);
        browser.findElement(By.cssSelector("form[action*='/signin/demo-mobile-id?'] button")).click();
        waitFor("/demo/idp/authorize");
        browser.findElement(By.cssSelector("button.key")).click();
        waitFor("/consent");
        check("consent", language);
        browser.findElement(By.cssSelector("button[name=decision][value=allow]")).click();
        waitFor("/demo/portal/callback");
        assertThat(browser.getPageSource()).as("the portal verified an ID token").contains("Verified ID token");

        open("/account");
        assertThat(browser.findElements(By.cssSelector(".consents li"))).hasSize(1);
        check("account", language);
        assertHeadingsAndFocus();
        browser.findElement(By.cssSelector(".consents form button")).click();
        waitFor("/account?withdrawn=");
        assertThat(browser.findElement(By.cssSelector("p.notice")).getText()).isNotBlank();
        check("account after withdrawal", language);

        browser.findElement(By.cssSelector("form.signout button")).click();
        waitFor("/signout/done");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo(language);
        check("signed out", language);

        // One error page of each kind.
        open("/oauth2/authorize?response_type=code&client_id=nobody&scope=openid&redirect_uri="
                + "https%3A%2F%2Fnobody.example%2Fcb&state=s");
        check("unknown portal", language);
        String reference = browser.findElement(By.cssSelector(".reference code")).getText();
        String other = "en".equals(language) ? "fr" : "en";
        browser.findElement(By.cssSelector("nav.languages a[hreflang=" + other + "]")).click();
        waitFor("/problem/" + reference);
        assertThat(browser.findElement(By.cssSelector(".reference code")).getText()).as("the same code").isEqualTo(reference);
        browser.findElement(By.cssSelector("nav.languages a[hreflang=" + language + "]")).click();
        waitFor("/problem/" + reference + "?lang=" + language);
        check("error page in the other language and back", language);
        open("/no-such-page");
        check("page not found", language);
        open("/broker/callback/demo-mobile-id?code=x&state=forged");
        check("login error", language);
        open("/consent");
        check("consent question error", language);
        open("/signin");
        check("no sign-in in progress", language);
    }

    private void open(String path) {
        browser.get(base + path);
    }

    private void waitFor(String fragment) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains(fragment));
    }

    /** axe-core on this page at phone and desktop width; the page must also fit the phone's width. */
    private void check(String state, String language) {
        for (int width : new int[] {PHONE, DESKTOP}) {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 800,
                    "deviceScaleFactor", 1, "mobile", width == PHONE));
            String where = state + " (" + language + ", " + width + " px, " + browser.getCurrentUrl() + ")";
            List<String> violations = axeViolations();
            assertThat(violations).as("WCAG 2.1 A/AA violations on " + where + ":\n" + String.join("\n", violations))
                    .isEmpty();
            if (width == PHONE) {
                Object overflow = browser.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(((Number) overflow).intValue()).as("nothing runs off a phone's screen on " + where).isLessThanOrEqualTo(0);
            }
            checked.add(where);
        }
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @SuppressWarnings("unchecked")
    private List<String> axeViolations() {
        JavascriptExecutor js = browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined';"))) {
            js.executeScript(axe);
        }
        Object result = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                  resultTypes: ['violations']})
                  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' -> '
                      + v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' '))
                          .join(' | '))))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        return (List<String>) result;
    }

    /** Item 5: an h2 is never larger than the h1, and the keyboard focus ring is plainly visible. */
    private void assertHeadingsAndFocus() {
        double h1 = fontSize("h1");
        double h2 = fontSize("h2");
        assertThat(h2).as("h2 smaller than h1").isLessThan(h1);
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).perform();
        WebElement focused = browser.switchTo().activeElement();
        String outline = (String) browser.executeScript(
                "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;", focused);
        assertThat(outline).as("focus ring of " + focused.getTagName()).startsWith("solid")
                .satisfies(o -> assertThat(Double.parseDouble(o.split(" ")[1].replace("px", ""))).isGreaterThanOrEqualTo(2));
    }

    private double fontSize(String selector) {
        return Double.parseDouble(((String) browser.executeScript(
                "return getComputedStyle(document.querySelector(arguments[0])).fontSize;", selector)).replace("px", ""));
    }
}

package io.dtstream.dashboard;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.Assume;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Selenium through Debian's chromedriver (named
 * explicitly, so Selenium Manager never downloads a driver). The paths default to Debian's and
 * are overridden by the system properties or environment variables {@code DTSTREAM_CHROMIUM}
 * and {@code DTSTREAM_CHROMEDRIVER}. Without chromium the tests are skipped, unless {@code
 * DTSTREAM_REQUIRE_BROWSER} is set (CI), where they fail.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final String INSTALL = "apt-get install -y chromium chromium-driver";

  public final WebDriver driver;
  private final Path profile;

  private HeadlessChromium(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a browser, or skips (or fails, in CI) the calling test if there is none; {@code
   * arguments} are chromium's, added to the usual ones.
   */
  public static HeadlessChromium start(String... arguments) throws IOException {
    Path chromium = Path.of(setting("DTSTREAM_CHROMIUM", "/usr/bin/chromium"));
    Path chromedriver = Path.of(setting("DTSTREAM_CHROMEDRIVER", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
      String missing = "no chromium at " + chromium + " or no chromedriver at " + chromedriver + "; install them with: " + INSTALL;
      if (System.getenv("DTSTREAM_REQUIRE_BROWSER") != null) {
        fail(missing + " (DTSTREAM_REQUIRE_BROWSER is set: browser tests may not be skipped)");
      }
      Assume.assumeTrue(missing, false);
    }
    Path profile = Files.createTempDirectory("dtstream-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1900", "--user-data-dir=" + profile);
    options.addArguments(arguments);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver, profile);
  }

  private static String setting(String name, String fallback) {
    String value = System.getProperty(name, System.getenv(name));
    return value == null || value.isBlank() ? fallback : value;
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  public WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100));
  }

  /** Saves the page as it looks now under {@code target/screenshots/}. */
  public Path screenshot(String name) throws IOException {
    Path directory = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    Files.createDirectories(directory);
    Path file = directory.resolve(name + ".png");
    Path taken = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(taken, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}

package coop.relay.samples.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coop.relay.sandbox.Post;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The sandbox page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}
 * packages; never a downloaded driver): a person types in one platform's pane, the message shows
 * there and, once relayed, in every other bridged pane with its formatting; they edit it and the
 * edit follows; a reaction clicked on a copy reaches the original. Saves a screenshot to {@code
 * target/sandbox-page.png} for the README. Skipped, with a message saying what
 * to install, when the browser or its driver is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration RELAYED = Duration.ofSeconds(30);

  private SandboxApp app;
  private ChromeDriver browser;
  private Path profile;

  @BeforeAll
  void startApp() {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless browser test skipped: /usr/bin/chromium and /usr/bin/chromedriver are missing; "
            + "install them with: apt-get install -y chromium chromium-driver");
    app = SandboxApp.builder().build();
    app.start().block(Duration.ofMinutes(1));
  }

  @AfterAll
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void openBrowser() throws IOException {
    profile = Files.createTempDirectory("relay-sandbox-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1800,1000", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1800, 1000));
    browser.get(app.pageUrl());
    await("the page to load its four panes").atMost(Duration.ofSeconds(30))
        .until(() -> browser.findElements(By.cssSelector("body.ready article.pane")).size() == app.platforms().size());
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (browser != null) {
      List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
          // An emulator that was stopped on purpose cuts its event stream and refuses the page's
          // reconnects until it is back; the browser logs both, and the page expects them.
          .filter(e -> !e.getMessage().contains("ERR_CONNECTION_REFUSED")
              && !e.getMessage().contains("ERR_INCOMPLETE_CHUNKED_ENCODING"))
          .collect(Collectors.toList());
      browser.quit();
      assertThat(errors).as("errors in the page's console").isEmpty();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  @Order(2)
  void aTypedMessageAndItsEditShowInTheirPane() throws IOException {
    String platform = app.platforms().get(0);
    String text = "hello from the browser " + System.nanoTime();

    type(platform, text);
    awaiting("the message in its own pane").until(() -> texts(platform).contains(text));

    String edited = text + ", edited";
    edit(platform, text, edited);
    awaiting("the edit in its own pane")
        .until(() -> texts(platform).stream().anyMatch(t -> t.startsWith(edited)));
    assertThat(texts(platform)).noneMatch(t -> t.equals(text));
    // A laptop's screen: the rooms go two by two, next to the relay panel.
    browser.manage().window().setSize(new Dimension(1366, 768));
    screenshot("sandbox-page-laptop.png");
  }

  @Test
  @Order(3)
  void theStopAndStartButtonsTakeAPlatformDownAndTheStreamResumesAfterwards() {
    String platform = app.platforms().get(app.platforms().size() - 1);
    WebElement power = pane(platform).findElement(By.cssSelector("button.power"));
    assertThat(power.getText()).contains("Stop");
    power.click();
    awaiting("the emulator down").until(() -> !app.sandbox().isRunning(platform));
    awaiting("the pane shows the outage").until(() -> pane(platform).getAttribute("class").contains("offline")
        && pane(platform).findElement(By.cssSelector("button.power")).getText().contains("Start"));
    assertThat(pane(platform).findElement(By.cssSelector(".notice")).getText()).contains("down");

    pane(platform).findElement(By.cssSelector("button.power")).click();
    awaiting("the emulator back").until(() -> app.sandbox().isRunning(platform));
    awaiting("the pane back online").until(() -> !pane(platform).getAttribute("class").contains("offline"));
    String text = "posted after the outage " + System.nanoTime();
    app.control(platform).post(Post.of(app.room(platform, SandboxApp.COOP).channelId(),
        app.people(platform).get(1).id(), text)).block();
    awaiting("the pane follows the emulator again").until(() -> texts(platform).contains(text));
  }

  // First, so that the README's screenshot shows only this conversation.
  @Test
  @Order(1)
  void aTypedMessageItsEditAndAReactionReachEveryOtherBridgedPane() throws IOException {
    Set<String> bridged = app.bridgedPlatforms();
    Assumptions.assumeTrue(bridged.size() >= 2,
        "cross-pane browser test skipped: it needs two bridged platforms, and only " + bridged
            + " have a connector in this build");
    List<String> platforms = new ArrayList<>(bridged);
    String from = platforms.get(0);
    List<String> others = platforms.subList(1, platforms.size());
    seedConversation(platforms.get(1), from);
    String text = "See you all at the meeting on Friday";

    // Bold, in the markup of the pane typed in: the toolbar's B button writes it around the word.
    WebElement input = pane(from).findElement(By.cssSelector("textarea.input"));
    input.click();
    input.sendKeys("See you all at the meeting on ");
    pane(from).findElement(By.cssSelector(".tool.bold")).click();
    input.sendKeys("Friday");
    input.sendKeys(Keys.ENTER);
    for (String to : others) {
      awaiting("the message relayed to " + to).until(() -> texts(to).stream().anyMatch(t -> t.contains(text)));
      eventually(() -> assertThat(message(to, text).findElements(By.cssSelector(".content b, .content strong")))
          .as("bold stays bold on " + to).extracting(WebElement::getText).contains("Friday"));
    }

    String edited = text + " at 18:00";
    edit(from, text, edited);
    for (String to : others) {
      awaiting("the edit relayed to " + to).until(() -> texts(to).stream().anyMatch(t -> t.contains(edited)));
    }

    // A reaction clicked on a copy comes back to the original as the relay's reaction.
    String reactor = others.get(0);
    eventually(() -> {
      WebElement copy = message(reactor, edited);
      new Actions(browser).moveToElement(copy).perform();
      copy.findElement(By.cssSelector(".action[title='React']")).click();
      copy.findElement(By.xpath(".//button[contains(@class,'pick') and text()='🎉']")).click();
    });
    eventually(() -> assertThat(message(from, edited).findElements(By.cssSelector(".reaction .emoji")))
        .as("the reaction on the original").extracting(WebElement::getText).contains("🎉"));
    new Actions(browser).moveToLocation(5, 5).perform();
    screenshot("sandbox-page.png");
  }

  /** A short exchange for the screenshot: a welcome with formatting, a reply and a reaction. */
  private void seedConversation(String host, String guest) {
    var hostControl = app.control(host);
    String hostRoom = app.room(host, SandboxApp.COOP).channelId();
    String welcome = switch (host) {
      case "discord" -> "**Welcome** to the coop chat! The minutes are in `#general`, the vote is *on Friday*.";
      case "slack" -> "*Welcome* to the coop chat! The minutes are in `#general`, the vote is _on Friday_.";
      default -> "<b>Welcome</b> to the coop chat! The minutes are in <code>#general</code>, the vote is <i>on Friday</i>.";
    };
    var first = hostControl.post(Post.of(hostRoom, app.people(host).get(0).id(), welcome)).block();
    hostControl.react(hostRoom, first.messageId(), app.people(host).get(1).id(), "❤️").block();
    String guestRoom = app.room(guest, SandboxApp.COOP).channelId();
    awaiting("the welcome relayed")
        .until(() -> app.control(guest).history(guestRoom).collectList().block().size() >= 1);
    var copy = app.control(guest).history(guestRoom).collectList().block().get(0);
    app.control(guest).post(Post.of(guestRoom, app.people(guest).get(1).id(), "Thanks! I will be there.")
        .withReplyTo(copy.messageId())).block();
    awaiting("the reply relayed")
        .until(() -> hostControl.history(hostRoom).collectList().block().size() >= 2);
  }

  private WebElement message(String platform, String containing) {
    return pane(platform).findElements(By.cssSelector(".messages .msg")).stream()
        .filter(m -> m.findElement(By.cssSelector(".content")).getText().contains(containing))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message with \"" + containing + "\" in the " + platform + " pane"));
  }

  private WebElement pane(String platform) {
    return browser.findElement(By.cssSelector("article.pane[data-platform='" + platform + "']"));
  }

  private void type(String platform, String text) {
    WebElement input = pane(platform).findElement(By.cssSelector("textarea.input"));
    input.click();
    input.sendKeys(text);
    input.sendKeys(Keys.ENTER);
  }

  private void edit(String platform, String text, String replacement) {
    eventually(() -> {
      WebElement message = pane(platform).findElements(By.cssSelector(".messages .msg")).stream()
          .filter(m -> m.findElement(By.cssSelector(".content")).getText().strip().equals(text))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no message \"" + text + "\" in the " + platform + " pane"));
      new Actions(browser).moveToElement(message).perform();
      message.findElement(By.cssSelector(".action[title^='Edit']")).click();
    });
    WebElement input = pane(platform).findElement(By.cssSelector("textarea.input"));
    input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    input.sendKeys(replacement);
    input.sendKeys(Keys.ENTER);
  }

  /**
   * Runs {@code step} until it passes: the page re-renders a message when its state changes, so an
   * element found a moment ago may be gone (stale) by the time it is used.
   */
  private static void eventually(Runnable step) {
    await().atMost(RELAYED).ignoreException(StaleElementReferenceException.class).untilAsserted(step::run);
  }

  private static ConditionFactory awaiting(String what) {
    return await(what).atMost(RELAYED).ignoreException(StaleElementReferenceException.class);
  }

  private List<String> texts(String platform) {
    return pane(platform).findElements(By.cssSelector(".messages .msg .content")).stream()
        .map(WebElement::getText)
        .map(String::strip)
        .collect(Collectors.toList());
  }

  private void screenshot(String name) throws IOException {
    ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur()");
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target,
        StandardCopyOption.REPLACE_EXISTING);
  }
}

package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser: Debian's headless Chromium, driven by Selenium through Debian's chromedriver (paths set, so
 * Selenium downloads nothing), opens the gallery, uploads through the form, and sees the image in the grid.
 */
class BrowserTest {
    static final String CHROMIUM = System.getProperty("gallery.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("gallery.chromedriver", "/usr/bin/chromedriver");

    @TempDir
    Path dir;
    @TempDir
    Path profile;
    RunningGallery gallery;
    ChromeDriver browser;

    @BeforeEach
    void start() {
        gallery = new RunningGallery(dir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        gallery.close();
    }

    @Test
    void uploadThroughTheFormAndSeeTheImageInTheGrid() throws Exception {
        for (int i = 0; i < 5; i++) {
            gallery.http.upload(Http.form().file("landscape-" + i + ".jpg", TestImages.jpeg(900, 600, 40 * i)));
        }
        Path picture = dir.getParent().resolve("browser-upload-" + System.nanoTime() + ".png");
        Files.write(picture, TestImages.png(600, 600, 200));

        browser.get(gallery.server.uri().toString());
        assertThat(browser.getTitle()).isEqualTo("Gallery");
        assertThat(browser.findElements(By.cssSelector(".grid li"))).hasSize(5);

        WebElement input = browser.findElement(By.cssSelector("input[type=file][name=file]"));
        input.sendKeys(picture.toString());
        browser.findElement(By.id("upload")).click();

        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".grid li"), 6));
        List<WebElement> tiles = browser.findElements(By.cssSelector(".grid li a"));
        String newest = tiles.getFirst().getAttribute("href");
        assertThat(newest).endsWith("/images/" + picture.getFileName());
        WebElement thumb = tiles.getFirst().findElement(By.tagName("img"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> (Boolean) browser.executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", thumb));
        assertThat(thumb.getAttribute("naturalWidth")).isEqualTo("320");

        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.write(shots.resolve("gallery.png"), browser.getScreenshotAs(OutputType.BYTES));

        tiles.getFirst().click();
        assertThat(browser.getCurrentUrl()).endsWith("/images/" + picture.getFileName());
        Files.deleteIfExists(picture);
    }
}

package dev.socketworks.it;

import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** An in-container suite driving the pages in one Chromium, started once per class. */
abstract class BrowserSuite extends ContainerSuite {

    protected static Browser browser;

    @BeforeAll
    static void startBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(TestClient.DEADLINE.toMillis());
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}

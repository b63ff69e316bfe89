package dev.socketworks.it;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless, with no browser download and no background
 * traffic (this network is closed). Pages are checked for console errors: a page that works but
 * logs errors is not working.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get(System.getProperty("it.chromium", "/usr/bin/chromium"));
    /** Resolves to 127.0.0.1 inside the browser: a second origin for the same server. */
    static final String OTHER_HOST = "other-origin.test";

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    final List<String> consoleErrors = new ArrayList<>();

    Browser() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " not found: install Debian's chromium (apt-get install chromium)");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--host-resolver-rules=MAP " + OTHER_HOST + " 127.0.0.1")));
    }

    /** A fresh context (its own cookies and storage, like a second person) with one page. */
    Page newPage(String name) {
        BrowserContext context = browser.newContext(new NewContextOptions().setViewportSize(1000, 800));
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                consoleErrors.add(name + ": " + m.text());
            }
        });
        page.onPageError(e -> consoleErrors.add(name + ": " + e));
        return page;
    }

    /** A full-page screenshot under target/screenshots/<container>/, to look at after the run. */
    static void screenshot(Page page, String name) {
        Path file = Paths.get("target", "screenshots", ContainerSuite.container(), name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

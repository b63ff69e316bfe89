package dev.socketworks.it;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages with {@code auth=token}, in Chromium: a page opened with {@code ?token=} connects with it
 * (as a bearer subprotocol entry), takes it out of the address bar and shows who it names; without
 * one the page says a token may be what is missing (the browser hides the 401 itself).
 */
class PagesAuthIT extends BrowserSuite {

    private static final String SECRET = "an HS256 secret of at least 32 bytes, for PagesAuthIT";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSettings(Map.of("socketworks.auth", "token", "socketworks.tokenSecret", SECRET,
                "socketworks.tokenGraceMs", "500"));
    }

    private String page(String path) {
        return Deployments.base(base).resolve(path).toString();
    }

    private static String token(String name, String right) {
        return Tokens.hs256(SECRET, "u-" + java.util.UUID.randomUUID(), name, List.of(right), Instant.now().plusSeconds(300));
    }

    @Test
    void aPageOpenedWithATokenConnectsWithItAndTakesItOutOfTheAddressBar() throws Exception {
        String room = "signed-" + System.nanoTime() % 1_000_000_000;
        Page ann = browser.newPage("ann");
        ann.navigate(page("chat.html?room=" + room + "&name=Ann&token=" + token("Ann", "chat:" + room)));
        assertThat(ann.locator("#me")).hasText("you are Ann in " + room);
        assertThat(ann.locator("#identity")).hasText("signed in as Ann");
        assertThat(ann.url()).doesNotContain("token=").contains("room=" + room);
        ann.locator("#message").fill("hello with a token");
        ann.locator("#message").press("Enter");
        assertThat(ann.locator("#messages li.message span")).hasText("hello with a token");
        assertThat(List.copyOf(browser.consoleErrors)).as("browser console errors").isEmpty();
        ann.context().close();
    }

    /**
     * A page whose application provides tokens (window.socketworksTokenProvider) renews in-band when
     * told its token is expiring: past the first token's exp and grace it still chats, on the same
     * connection (one join: no reconnect).
     */
    @Test
    void aPageRenewsItsTokenInBandFromThePagesProvider() throws Exception {
        browser.consoleErrors.clear();
        String room = "renew-" + System.nanoTime() % 1_000_000_000;
        String subject = "u-" + java.util.UUID.randomUUID();
        // Long enough for a page to load and join on a loaded machine: a token that expires before the
        // page joins ends its first connection, and the test would see a reconnect, not a renewal.
        Instant firstExpiry = Instant.now().plusSeconds(12);
        Instant secondExpiry = Instant.ofEpochSecond(Instant.now().plusSeconds(300).getEpochSecond());
        String first = Tokens.hs256(SECRET, subject, "Ann", List.of("chat:" + room), firstExpiry);
        String second = Tokens.hs256(SECRET, subject, "Ann", List.of("chat:" + room), secondExpiry);
        Page ann = browser.newPage("renew");
        List<String> sockets = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ann.onWebSocket(socket -> {
            sockets.add("opened " + Instant.now());
            socket.onClose(closed -> sockets.add("closed " + Instant.now()));
        });
        ann.addInitScript("window.socketworksTokenProvider = () => Promise.resolve('" + second + "');");
        ann.navigate(page("chat.html?room=" + room + "&name=Ann&token=" + first));
        assertThat(ann.locator("#me")).hasText("you are Ann in " + room);
        assertThat(Instant.now()).as("the page joined before its first token expired").isBefore(firstExpiry);
        assertThat(ann.locator("#identity")).hasAttribute("data-expires-at", secondExpiry.toString());
        dev.socketworks.testing.Poll.until(TestClient.DEADLINE, "the first token's expiry and grace passed",
                () -> Instant.now().isAfter(firstExpiry.plusMillis(1500)));
        ann.locator("#message").fill("still here");
        ann.locator("#message").press("Enter");
        assertThat(ann.locator("#messages li.message span")).hasText("still here");
        assertThat(List.copyOf(sockets)).as("the page's WebSocket connections (first token expired at %s)", firstExpiry)
                .hasSize(1);
        assertThat(ann.locator("#messages li.notice")).hasCount(1);
        assertThat(List.copyOf(browser.consoleErrors)).as("browser console errors").isEmpty();
        ann.context().close();
    }

    @Test
    void withoutATokenThePageSaysATokenMayBeMissing() {
        browser.consoleErrors.clear();
        Page guest = browser.newPage("guest");
        guest.navigate(page("chat.html?room=lobby&name=Guest"));
        assertThat(guest.locator("#error")).containsText("asks for a token");
        // Chromium reports the refused handshake (HTTP 401) in the console: that, and nothing else.
        assertThat(List.copyOf(browser.consoleErrors)).allMatch(error -> error.contains("WebSocket connection to"));
        browser.consoleErrors.clear();
        guest.context().close();
    }
}

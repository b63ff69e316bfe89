package dev.socketworks.it;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page in Chromium: live figures over /admin/stream once an operator's key is typed in,
 * charts drawn by uPlot from the WAR, and its actions (a system message to a room, closing a
 * connection) reaching real clients; a key without the right admin is refused and told so; it fits
 * a phone.
 */
class AdminPageIT extends BrowserSuite {

    static final String ADMIN = "a".repeat(40);
    static final String READER = "r".repeat(40);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path keys = Path.of("target", "it-admin-keys.json").toAbsolutePath();
        try {
            Files.writeString(keys, "{\"keys\": ["
                    + "{\"name\": \"operator\", \"key\": \"" + ADMIN + "\", \"rights\": [\"*\"]},"
                    + "{\"name\": \"reader\", \"key\": \"" + READER + "\", \"rights\": [\"api:info\"]}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path routes = Path.of("target", "it-admin-routes-" + container() + ".json").toAbsolutePath();
        try {
            Files.writeString(routes, "{\"routes\": [{\"name\": \"cat\", \"command\": [\"cat\"]}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Deployments.withSettings(Map.of("socketworks.apiKeys", keys.toString(), "socketworks.routes", routes.toString()));
    }

    @AfterEach
    void consoleStayedClean() {
        List<String> errors = List.copyOf(browser.consoleErrors);
        browser.consoleErrors.clear();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private Page admin(String name, String key) {
        return admin(browser.newPage(name), key);
    }

    private Page admin(Page page, String key) {
        page.navigate(Deployments.base(base).resolve("admin.html").toString());
        page.locator("#key").fill(key);
        page.locator("#unlock").click();
        return page;
    }

    private static Locator row(Page page, String table, String firstCell) {
        return page.locator("#" + table + " tbody tr").filter(new Locator.FilterOptions().setHas(
                page.locator("td:first-child", new Page.LocatorOptions().setHasText(firstCell))));
    }

    @Test
    void liveFiguresAndChartsAppearAndTheActionsReachRealClients() throws Exception {
        String room = "ops-" + System.nanoTime() % 1_000_000;
        try (TestClient echo = TestClient.connect(client, Deployments.ws(base, "echo"));
             TestClient program = TestClient.connect(client, Deployments.ws(base, "run/cat"));
             ChatClient member = ChatClient.connect(client, Deployments.ws(base, "chat/" + room), "chat.v1")) {
            member.join("Dee");
            member.awaitMembers(List.of("Dee"));
            echo.session().getBasicRemote().sendText("ping");
            assertThat(echo.nextText()).isEqualTo("ping");
            program.session().getBasicRemote().sendText("running");
            assertThat(program.nextText()).isEqualTo("running");

            Page page = admin("operator", ADMIN);
            assertThat(page.locator("#status")).hasText("connected");
            assertThat(page.locator("#servers tbody tr")).hasCount(1);
            assertThat(row(page, "endpoints", "/echo").locator("td").nth(1)).hasText("1");
            assertThat(row(page, "rooms", room).locator("td").nth(1)).hasText("1");
            assertThat(page.locator(".uplot")).hasCount(2); // drawn from the second snapshot on
            assertThat(page.locator("#routes")).hasText("/run/cat 1");

            page.locator("#post-room").fill(room);
            page.locator("#post-from").fill("Support");
            page.locator("#post-message").fill("maintenance at noon");
            page.locator("#post").click();
            assertThat(page.locator("#result")).containsText("posted to " + room);
            JsonObject heard;
            do {
                heard = member.next();
            } while (!heard.getString("type").equals("chat-message"));
            assertThat(heard.getJsonObject("payload").getString("username")).isEqualTo("Support");
            assertThat(heard.getJsonObject("payload").getString("message")).isEqualTo("maintenance at noon");

            page.locator("#find").click();
            Locator echoRow = page.locator("#connections tbody tr").filter(new Locator.FilterOptions().setHasText("/echo"));
            assertThat(echoRow).hasCount(1);
            echoRow.locator("button").click();
            CloseReason closed = echo.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(4000);
            assertThat(closed.getReasonPhrase()).isEqualTo("closed by an operator");
            assertThat(page.locator("#result")).containsText("closed");
            Browser.screenshot(page, "admin");
            page.context().close();
        }
    }

    @Test
    void aKeyWithoutTheRightAdminIsRefusedAndThePageSaysSo() {
        for (String key : List.of(READER, "x".repeat(40))) {
            Page page = admin("refused", key);
            assertThat(page.locator("#error")).containsText("the server refused the key");
            assertThat(page.locator("#figures")).isHidden();
            page.context().close();
        }
        // Chromium logs the refused requests (401, 403) itself; that is the expected outcome here.
        browser.consoleErrors.removeIf(e -> e.startsWith("refused: Failed to load resource"));
    }

    private static Map<String, List<String>> offering(String key) {
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Map.of("Sec-WebSocket-Protocol", List.of("admin.v1, apikey." + encoded));
    }

    /** The stream is an operator's before the upgrade: a guest and an unknown key get 401, a key without admin 403. */
    @Test
    void theStreamRefusesEveryoneButAnOperatorBeforeTheUpgrade() throws Exception {
        java.net.URI stream = Deployments.ws(base, "admin/stream");
        assertThat(TestClient.refusedStatus(client, stream, Map.of("Sec-WebSocket-Protocol", List.of("admin.v1"))))
                .as("a guest, though guests hold every right here (auth=none)").isEqualTo(401);
        assertThat(TestClient.refusedStatus(client, stream, offering("x".repeat(40)))).as("an unknown key").isEqualTo(401);
        assertThat(TestClient.refusedStatus(client, stream, Map.of("Sec-WebSocket-Protocol", List.of("admin.v1, apikey.%%%"))))
                .as("a key that is not base64url").isEqualTo(401);
        assertThat(TestClient.refusedStatus(client, stream, offering(READER))).as("a key without admin").isEqualTo(403);
        try (TestClient operator = TestClient.connectWithHeaders(client, stream, Map.of(), List.of("admin.v1", "apikey."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(ADMIN.getBytes(java.nio.charset.StandardCharsets.UTF_8))))) {
            assertThat(operator.session().getNegotiatedSubprotocol()).as("the key is never echoed").isEqualTo("admin.v1");
            JsonObject figures = jakarta.json.Json.createReader(new java.io.StringReader(operator.nextText())).readObject();
            assertThat(figures.getString("type")).isEqualTo("figures");
            assertThat(figures.getJsonArray("servers")).hasSize(1);
        }
    }

    @Test
    void theAdminPageFitsAPhone() {
        Page phone = browser.newPage("phone");
        phone.setViewportSize(390, 844);
        admin(phone, ADMIN);
        assertThat(phone.locator("#servers tbody tr")).hasCount(1);
        assertThat(phone.locator(".uplot")).hasCount(2);
        Object overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).intValue()).as("admin overflows a 390 px screen by").isLessThanOrEqualTo(0);
        Browser.screenshot(phone, "admin-phone");
        phone.context().close();
    }
}

package dev.socketworks.it;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WAR's pages in a real browser (Debian's Chromium via Playwright), against the deployed WAR.
 * Each test uses its own chat room; every page must leave the console free of errors.
 */
class PagesIT extends BrowserSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @AfterEach
    void consoleStayedClean() {
        List<String> errors = List.copyOf(browser.consoleErrors);
        browser.consoleErrors.clear();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private String page(String path) {
        return Deployments.base(base).resolve(path).toString();
    }

    private static String room() {
        return "browser-" + System.nanoTime() % 1_000_000_000;
    }

    private static Locator messages(Page page) {
        return page.locator("#messages li.message span");
    }

    @Test
    void startPageShowsEveryServiceConnected() {
        Page page = browser.newPage("start");
        page.navigate(page(""));
        assertThat(page.locator(".card")).hasCount(8);
        for (Locator status : page.locator(".card:not([data-probe]) .status").all()) {
            assertThat(status).hasText("connected");
        }
        // The countdown and the arena are probed, not kept open: a visitor of the start page costs them no timer.
        assertThat(page.locator(".card[data-probe] .status")).hasText(new String[]{"reachable", "reachable"});
        Browser.screenshot(page, "index");
        page.context().close();
    }

    @Test
    void twoPeopleChatAndEachSeesTheOther() {
        String room = room();
        Page alice = browser.newPage("alice");
        alice.navigate(page("chat.html?room=" + room + "&name=Alice"));
        assertThat(alice.locator("#me")).hasText("you are Alice in " + room);
        Page bob = browser.newPage("bob");
        bob.navigate(page("chat.html?room=" + room + "&name=Bob"));
        assertThat(bob.locator("#me")).hasText("you are Bob in " + room);
        assertThat(alice.locator("#presence li")).hasText(new String[]{"Alice", "Bob"});

        alice.locator("#message").fill("hi Bob");
        alice.locator("#message").press("Enter");
        bob.locator("#message").fill("hello Alice");
        bob.locator("#say").click();

        for (Page p : List.of(alice, bob)) {
            assertThat(messages(p)).hasText(new String[]{"hi Bob", "hello Alice"});
        }
        Browser.screenshot(bob, "chat");
        bob.context().close();
        assertThat(alice.locator("#presence li")).hasText(new String[]{"Alice"});
        assertThat(alice.locator("#messages li.notice").last()).containsText("left");
        alice.context().close();
    }

    @Test
    void htmlInNamesAndMessagesIsShownAsText() {
        String room = room();
        String name = "<img src=x onerror=alert(1)>";
        String message = "<script>window.pwned = true</script><b>bold?</b>";
        Page mallory = browser.newPage("mallory");
        mallory.navigate(page("chat.html?room=" + room + "&name=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)));
        Page victim = browser.newPage("victim");
        victim.navigate(page("chat.html?room=" + room + "&name=Victim"));
        assertThat(victim.locator("#presence li")).hasCount(2);

        mallory.locator("#message").fill(message);
        mallory.locator("#message").press("Enter");

        assertThat(messages(victim)).hasText(message);
        assertThat(victim.locator("#messages li.message strong")).hasText(name);
        assertThat(victim.locator("#messages img, #messages b, #messages script")).hasCount(0);
        assertThat(victim.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        Browser.screenshot(victim, "chat-html-as-text");
        mallory.context().close();
        victim.context().close();
    }

    /**
     * The reader's socket is closed at the server's end (through Playwright's WebSocket route, which
     * stands between the page and the server). What the page sends on its new connection is held
     * back until another member's messages are published, so they can only reach the page through
     * its chat-resume: it shows every message once, in order.
     */
    @Test
    void afterTheServerClosesTheSocketThePageResumesWithNoGapAndNoDuplicate() throws Exception {
        String room = room();
        Page reader = browser.newPage("reader");
        List<WebSocketRoute[]> routes = new java.util.concurrent.CopyOnWriteArrayList<>(); // {page side, server side}
        List<String> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean();
        // Playwright runs these handlers on the test's own thread, inside its calls: no race with the test.
        reader.routeWebSocket(Pattern.compile(".*/chat/" + room + "$"), pageSide -> {
            WebSocketRoute serverSide = pageSide.connectToServer();
            routes.add(new WebSocketRoute[]{pageSide, serverSide});
            pageSide.onMessage(frame -> {
                if (holding.get()) {
                    held.add(frame.text());
                } else {
                    serverSide.send(frame.text());
                }
            });
        });
        reader.navigate(page("chat.html?room=" + room + "&name=Reader"));
        assertThat(reader.locator("#me")).hasText("you are Reader in " + room);
        try (ChatClient speaker = ChatClient.connect(client, ws("chat/" + room), "chat.v1")) {
            speaker.join("Speaker");
            speaker.say("Speaker", "before");
            assertThat(messages(reader)).hasText(new String[]{"before"});

            // What a server's close does: the connection ends at the server (which announces the
            // leave) and the page receives 1001.
            holding.set(true);
            WebSocketRoute.CloseOptions goingAway = new WebSocketRoute.CloseOptions().setCode(1001).setReason("going away");
            routes.get(0)[1].close(goingAway);
            routes.get(0)[0].close(goingAway);
            reader.waitForCondition(() -> !held.isEmpty(), new Page.WaitForConditionOptions().setTimeout(10_000));
            org.assertj.core.api.Assertions.assertThat(held.get(0)).as("the page resumes first").contains("chat-resume");

            speaker.say("Speaker", "missed 1");
            speaker.say("Speaker", "missed 2");
            speaker.say("Speaker", "missed 3");
            while (!speaker.nextSummary().equals("chat-message:Speaker:missed 3")) {
                // the speaker's own copy of the last one: all three are published and in history
            }
            holding.set(false);
            held.forEach(routes.get(1)[1]::send);

            assertThat(reader.locator("#status")).hasText("connected");
            assertThat(messages(reader)).hasText(new String[]{"before", "missed 1", "missed 2", "missed 3"});
            speaker.say("Speaker", "after");
            assertThat(messages(reader)).hasText(new String[]{"before", "missed 1", "missed 2", "missed 3", "after"});
            assertThat(routes).as("one reconnection").hasSize(2);
        }
        Browser.screenshot(reader, "chat-resumed");
        reader.context().close();
    }

    @Test
    void totalsUpdateInTwoTabs() {
        Page first = browser.newPage("totals-1");
        first.navigate(page("totals.html"));
        Page second = browser.newPage("totals-2");
        second.navigate(page("totals.html"));
        assertThat(first.locator("#add")).isEnabled();
        assertThat(second.locator("#add")).isEnabled();
        assertThat(second.locator("#total")).not().hasText("…");
        long start = Long.parseLong(second.locator("#total").textContent());

        first.locator("#amount").fill("5");
        first.locator("#add").click();

        for (Page p : List.of(first, second)) {
            assertThat(p.locator("#total")).hasText(Long.toString(start + 5));
        }
        first.locator("#amount").fill("2.5");
        first.locator("#add").click();
        assertThat(first.locator("#error")).containsText("whole number");
        Browser.screenshot(second, "totals");
        first.context().close();
        second.context().close();
    }

    @Test
    void echoShowsRoundTripTimes() {
        Page page = browser.newPage("echo");
        page.navigate(page("echo.html"));
        page.locator("#connect").click();
        assertThat(page.locator("#status")).hasText("connected");
        page.locator("#text").fill("hello <b>world</b>");
        page.locator("#send").click();
        assertThat(page.locator("#log .in")).hasText(Pattern.compile("< hello <b>world</b> +\\d+\\.\\d\\d ms"));

        page.locator("#burst-count").fill("100");
        page.locator("#burst").click();
        assertThat(page.locator("#burst-result")).hasText(Pattern.compile("100 echoed: p50 \\d+\\.\\d\\d ms, p99 \\d+\\.\\d\\d ms.*"));
        Browser.screenshot(page, "echo");
        page.context().close();
    }

    @Test
    void countdownShowsEveryTick() {
        Page page = browser.newPage("countdown");
        page.navigate(page("countdown.html"));
        page.locator("#from").fill("3");
        page.locator("#interval").fill("50");
        page.locator("#start").click();
        assertThat(page.locator("#log div")).hasText(new Pattern[]{
                Pattern.compile("3 .*"), Pattern.compile("2 .*"), Pattern.compile("1 .*"),
                Pattern.compile("closed 1000: countdown finished")});
        Browser.screenshot(page, "countdown");
        page.context().close();
    }

    /**
     * The broadcast page, once the server has subscribed it: its own message coming back proves it
     * (a connected socket alone does not: the browser may see the open before the server's onOpen).
     */
    private Page subscribedBroadcastPage(String name) {
        Page page = browser.newPage(name);
        page.navigate(page("broadcast.html"));
        page.locator("#send").click();
        assertThat(page.locator("#log div").last()).hasText("Got: Hello from Browser!");
        return page;
    }

    @Test
    void broadcastShowsWhatOthersSend() throws Exception {
        Page page = subscribedBroadcastPage("broadcast");
        try (TestClient other = TestClient.connect(client, ws("broadcast"))) {
            other.session().getBasicRemote().sendText("from a Java client");
            assertThat(page.locator("#log div").last()).hasText("Got: from a Java client");
            assertThat(other.nextText()).isEqualTo("from a Java client"); // so it is subscribed too
            page.locator("#text").fill("from the page");
            page.locator("#send").click();
            assertThat(page.locator("#log div").last()).hasText("Got: from the page"); // after "Sent: ..."
            assertThat(other.nextText()).isEqualTo("from the page");
        }
        Browser.screenshot(page, "broadcast");
        page.context().close();
    }

    /** Every page fits a phone's width: nothing scrolls sideways. */
    @Test
    void everyPageFitsAPhoneScreen() {
        Page phone = browser.newPage("phone");
        phone.setViewportSize(390, 844);
        for (String name : List.of("index", "echo", "chat", "broadcast", "totals", "countdown")) {
            phone.navigate(page(name.equals("index") ? "" : name + ".html"));
            phone.locator("h1").waitFor();
            Object overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).intValue()).as(name + " overflows a 390 px screen by").isLessThanOrEqualTo(0);
            Browser.screenshot(phone, name + "-phone");
        }
        phone.context().close();
    }

    /** A page whose origin the server refuses says so, instead of failing silently. */
    @Test
    void aRefusedOriginIsShownAsAnError() {
        URI own = Deployments.base(base);
        String foreign = own.getScheme() + "://" + Browser.OTHER_HOST + ":" + own.getPort() + own.getPath();
        Page page = browser.newPage("foreign");
        page.navigate(foreign + "echo.html");
        page.locator("#url").fill(Deployments.ws(base, "echo").toString()); // 127.0.0.1: another origin
        page.locator("#connect").click();
        assertThat(page.locator("#status")).hasText("refused");
        assertThat(page.locator("#log .err")).containsText("refuses this page's origin");
        Browser.screenshot(page, "echo-refused");
        page.context().close();
        // Chromium logs the refused handshake itself; that is the expected outcome here.
        browser.consoleErrors.removeIf(e -> e.startsWith("foreign: WebSocket connection to"));
    }

    /** The start page checks the routes answer and shows a failure in the page. */
    @Test
    void theStartPageShowsAFailedRoutesListInThePage() {
        Page page = browser.newPage("routes-failing");
        page.route("**/routes", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setStatus(503).setBody("down")));
        page.navigate(page(""));
        assertThat(page.locator("#routes-error")).hasText("cannot list the configured routes: the server answered 503");
        page.context().close();
        // Chromium logs the failed request itself; that is the expected outcome here.
        browser.consoleErrors.removeIf(e -> e.startsWith("routes-failing: Failed to load resource"));
    }

    /** A page left open on a busy topic keeps only its last lines. */
    @Test
    void theBroadcastLogIsBounded() throws Exception {
        Page page = subscribedBroadcastPage("broadcast-busy");
        int senders = 4;
        int each = 150; // under the rate limit's burst: the senders are not flooding
        for (int c = 0; c < senders; c++) {
            try (TestClient sender = TestClient.connect(client, ws("broadcast"))) {
                for (int i = 0; i < each; i++) {
                    sender.session().getBasicRemote().sendText("s" + c + "-" + i);
                }
                assertThat(page.locator("#log div").last()).hasText("Got: s" + c + "-" + (each - 1));
            }
        }
        assertThat(page.locator("#log div")).hasCount(500);
        page.context().close();
    }
}

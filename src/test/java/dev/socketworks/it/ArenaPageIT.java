package dev.socketworks.it;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.BoundingBox;
import dev.socketworks.testing.Poll;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code arena.html} in Chromium: players steer with the mouse as a person would, and what each page
 * shows (its list of players in view, its leaderboard, its log) is what the test reads. A small world
 * (1000 units, where a player sees about 1000 across) so two players meet within seconds; two bots,
 * which play only in the arena {@code main} (the others' players could be eaten by them mid-test).
 */
class ArenaPageIT extends BrowserSuite {

    private static final int WORLD = 1000;
    private static final Pattern POSITION = Pattern.compile("at \\((\\d+), (\\d+)\\)");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSettings(Map.of("socketworks.arenaWorldSize", String.valueOf(WORLD), "socketworks.arenaBots", "2"));
    }

    @AfterEach
    void consoleStayedClean() {
        List<String> errors = List.copyOf(browser.consoleErrors);
        browser.consoleErrors.clear();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    private static String arena(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000_000;
    }

    private Page play(String person, String arena) {
        Page page = browser.newPage(person);
        page.navigate(Deployments.base(base).resolve("arena.html?arena=" + arena).toString());
        page.locator("#name").fill(person);
        page.locator("#join").click();
        assertThat(page.locator("#you")).containsText("You: " + person);
        assertThat(page.locator("#join-form")).isHidden();
        return page;
    }

    /** Points the mouse from the canvas centre (where the player is drawn) toward a point of the world. */
    private static void steerToward(Page page, double worldX, double worldY) {
        Matcher at = POSITION.matcher(page.locator("#you").textContent());
        assertThat(at.find()).as("the page shows where its player is").isTrue();
        double dx = worldX - Integer.parseInt(at.group(1));
        double dy = worldY - Integer.parseInt(at.group(2));
        double length = Math.max(1, Math.hypot(dx, dy));
        BoundingBox box = page.locator("#world").boundingBox();
        double reach = Math.min(box.width, box.height) / 3;
        page.mouse().move(box.x + box.width / 2 + dx / length * reach, box.y + box.height / 2 + dy / length * reach);
    }

    private static String seenEntry(Page page, String name) {
        return page.locator("#in-view li").allTextContents().stream().filter(t -> t.startsWith(name + " · ")).findFirst().orElse(null);
    }

    @Test
    void twoPlayersSeeEachOtherMoveAndTalk() throws Exception {
        String arena = arena("duel");
        Page ann = play("Ann", arena);
        Page bob = play("Bob", arena);
        // Both head for the middle of the world, re-aimed as they go, until each lists the other.
        Poll.until(Duration.ofSeconds(30), "Ann and Bob in each other's view", () -> {
            steerToward(ann, WORLD / 2.0, WORLD / 2.0);
            steerToward(bob, WORLD / 2.0, WORLD / 2.0);
            return seenEntry(ann, "Bob") != null && seenEntry(bob, "Ann") != null;
        });
        String before = seenEntry(ann, "Bob");
        steerToward(bob, 0, 0);
        Poll.until(Duration.ofSeconds(10), "Ann sees Bob move", () -> {
            String now = seenEntry(ann, "Bob");
            return now != null && !now.equals(before);
        });
        for (Page page : List.of(ann, bob)) { // the pointer on the centre: both stop
            BoundingBox box = page.locator("#world").boundingBox();
            page.mouse().move(box.x + box.width / 2, box.y + box.height / 2);
        }
        ann.locator("#say").fill("hi Bob");
        ann.locator("#say").press("Enter");
        assertThat(bob.locator("#log div").last()).hasText("Ann: hi Bob");
        // Either may lead: whoever passed more pellets on the way is heavier.
        assertThat(ann.locator("#leaderboard li")).hasCount(2);
        for (String name : List.of("Ann", "Bob")) {
            assertThat(ann.locator("#leaderboard li").filter(new Locator.FilterOptions().setHasText(name + " · "))).hasCount(1);
        }
        Browser.screenshot(ann, "arena-ann");
        Browser.screenshot(bob, "arena-bob");
        ann.context().close();
        bob.context().close();
    }

    @Test
    void aLoneVisitorSeesTheBotsPlay() throws Exception {
        Page lone = browser.newPage("lone");
        lone.navigate(Deployments.base(base).resolve("arena.html").toString()); // the arena main, with its bots
        assertThat(lone.locator("#arena-name")).hasText("main");
        // Watching before playing: the leaderboard lists the bots, and they eat pellets, so within
        // seconds one of them is heavier than any player starts (10).
        Poll.until(Duration.ofSeconds(30), "a bot grew", () -> {
            List<String> board = lone.locator("#leaderboard li").allTextContents();
            return board.stream().filter(line -> line.startsWith("Bot ")).count() == 2 && board.stream()
                    .anyMatch(line -> line.startsWith("Bot ") && Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)) > 10);
        });
        lone.locator("#name").fill("Lone");
        lone.locator("#join").click();
        assertThat(lone.locator("#you")).containsText("You: Lone");
        Browser.screenshot(lone, "arena-bots");
        lone.context().close();
    }

    @Test
    void atPhoneWidthTheWorldIsSquareAndNothingScrollsSideways() {
        Page phone = browser.newPage("phone");
        phone.setViewportSize(390, 800);
        phone.navigate(Deployments.base(base).resolve("arena.html?arena=" + arena("phone")).toString());
        phone.locator("#name").fill("Pocket");
        phone.locator("#join").click();
        assertThat(phone.locator("#you")).containsText("You: Pocket");
        BoundingBox box = phone.locator("#world").boundingBox();
        assertThat(box.width).isCloseTo(box.height, org.assertj.core.data.Offset.offset(2.0));
        assertThat(phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        Browser.screenshot(phone, "arena-phone");
        phone.context().close();
    }
}

package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static ablak.desktop.ScriptedControlServer.parse;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class WallboardTest extends BrowserTest {

    private static String snapshot(long now, int addressWaiting) {
        return """
                {"type":"wallboard.snapshot","queues":[
                  {"queueId":"address","name":{"hu":"Lakcímügyek","en":"Address"},"waiting":%d,"longestWaitSeconds":95,"estimatedWaitSeconds":240,"serviceLevel":0.91,"abandonedToday":3},
                  {"queueId":"id-card","name":{"hu":"Személyi igazolvány","en":"ID card"},"waiting":9,"longestWaitSeconds":410,"estimatedWaitSeconds":520,"serviceLevel":0.74,"abandonedToday":11},
                  {"queueId":"vehicle","name":{"hu":"Járműügyek","en":"Vehicles"},"waiting":14,"longestWaitSeconds":745,"estimatedWaitSeconds":900,"serviceLevel":0.52,"abandonedToday":19},
                  {"queueId":"passport","name":{"hu":"Útlevél","en":"Passport"},"waiting":0,"longestWaitSeconds":0,"estimatedWaitSeconds":0,"serviceLevel":null,"abandonedToday":0}],
                 "clerks":[
                  {"clerkId":"c1","name":"Kovács Anna","state":"busy","sinceEpochMillis":%d,"queue":"address","callId":"call-1"},
                  {"clerkId":"c2","name":"Nagy Péter","state":"available","sinceEpochMillis":%d},
                  {"clerkId":"c3","name":"Szabó Éva","state":"wrapup","sinceEpochMillis":%d,"queue":"id-card"},
                  {"clerkId":"c4","name":"Tóth Gábor","state":"break","reason":"break.lunch","sinceEpochMillis":%d},
                  {"clerkId":"c5","name":"Horváth Zsófia","state":"offered","sinceEpochMillis":%d,"queue":"vehicle"},
                  {"clerkId":"c6","name":"Varga Márton","state":"notresponding","sinceEpochMillis":%d},
                  {"clerkId":"c7","name":"Kiss Ádám","state":"offline","sinceEpochMillis":0}]}"""
                .formatted(addressWaiting, now - 312_000, now - 45_000, now - 20_000, now - 1_500_000, now - 6_000, now - 180_000);
    }

    @Test
    void tilesShowEachQueueWithAmberAndRedThresholdsAndFollowPushedUpdates() throws Exception {
        Page page = newPage(false, 1920, 1080);
        ClerkDesktopTest.staffSession(page, "Szűcs Ilona", "supervisor");
        long now = System.currentTimeMillis();
        ScriptedControlServer control = new ScriptedControlServer().install(page)
                .reply("wallboard.subscribe", request -> parse(snapshot(now, 2)));
        page.navigate(server.url("/wallboard/"));
        page.getByLabel("Felhasználónév").fill("ilona.szucs");
        page.getByLabel("Jelszó").fill("correct horse");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();

        assertThat(page.locator("[data-queue='address']")).hasClass("tile tile--ok");
        assertThat(page.locator("[data-queue='id-card']")).hasClass("tile tile--amber");
        assertThat(page.locator("[data-queue='vehicle']")).hasClass("tile tile--red");
        assertThat(page.locator("[data-queue='vehicle']")).containsText("Határérték felett");
        assertThat(page.locator("[data-queue='address'] [data-figure='waiting']")).hasText("2");
        assertThat(page.locator("tr[data-clerk='c4']")).containsText("Szünet · Ebéd");
        assertThat(page.locator("tr[data-clerk='c1'] td").nth(2)).hasText("Lakcímügyek");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Súgás neki: Kovács Anna"))).isVisible();
        assertThat(page.locator("tr[data-clerk='c2'] button")).hasCount(0);
        assertThat(page.locator("tr[data-clerk='c7'] td.numeric")).hasText("–");
        check(page, "wallboard-01-wall-screen");

        control.push(parse(snapshot(now, 7)));

        assertThat(page.locator("[data-queue='address'] [data-figure='waiting']")).hasText("7");
        assertThat(control.received.stream().filter(m -> "wallboard.subscribe".equals(m.path("type").asText())).count()).isEqualTo(1);
    }

    @Test
    void officeScreenModeIsDarkOnLight() throws Exception {
        Page page = newPage(false, 1440, 900);
        ClerkDesktopTest.staffSession(page, "Szűcs Ilona", "supervisor");
        long now = System.currentTimeMillis();
        new ScriptedControlServer().install(page).reply("wallboard.subscribe", request -> parse(snapshot(now, 2)));
        page.navigate(server.url("/wallboard/?wall=0"));
        page.getByLabel("Felhasználónév").fill("ilona.szucs");
        page.getByLabel("Jelszó").fill("correct horse");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Bejelentkezés")).click();

        assertThat(page.locator("[data-queue='vehicle']")).isVisible();
        assertThat(page.locator("body")).not().hasClass("app app--wallboard wall");
        check(page, "wallboard-02-office-screen");
    }
}

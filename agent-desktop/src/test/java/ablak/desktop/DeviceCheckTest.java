package ablak.desktop;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class DeviceCheckTest extends BrowserTest {

    private void openDeviceCheck(Page page) {
        CitizenSteps.toDeviceCheck(page, "");
    }

    @Test
    void blockedCameraShowsHowToAllowItAndKeepsTheCitizenFromContinuing() throws Exception {
        Page page = newPage(false);
        openDeviceCheck(page);

        assertThat(page.locator("#device-problem")).hasAttribute("data-problem", "devices.problem.blocked");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A böngésző letiltotta a kamerát vagy a mikrofont"))).isVisible();
        assertThat(page.getByText("Kattintson a címsorban a kamera ikonra")).isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább"))).isDisabled();
        assertAccessible(page, "device check, camera blocked");
        screenshot(page, "citizen-04b-camera-blocked");
    }

    @Test
    void missingCameraSaysToConnectOne() {
        Page page = newPage(true);
        page.addInitScript("navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'));");
        openDeviceCheck(page);

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Nem találunk kamerát vagy mikrofont"))).isVisible();
    }

    @Test
    void cameraInUseElsewhereSaysToCloseTheOtherProgram() {
        Page page = newPage(true);
        page.addInitScript("navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('busy', 'NotReadableError'));");
        openDeviceCheck(page);

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Egy másik program használja a kamerát"))).isVisible();
    }

    @Test
    void fakeCameraPassesTheCheckAndShowsItsPicture() {
        Page page = newPage(true);
        openDeviceCheck(page);

        assertThat(page.getByText("A kamera és a mikrofon működik.")).isVisible();
        page.waitForCondition(() -> (Boolean) page.evaluate("() => document.querySelector('.device-check__video').videoWidth > 0"));
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tovább"))).isEnabled();
        assertNoConsoleErrors();
    }
}

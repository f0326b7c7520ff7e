import { expect, test } from "@playwright/test";
import { useDemoServer } from "./demo-server.ts";

test.describe("the plain-page demo", () => {
  const demo = useDemoServer();

  test("shows the live status and echoes what the user types", async ({ page }) => {
    await page.goto(`/vanilla/?server=${encodeURIComponent(demo.url)}`);
    const status = page.locator("#status");
    await expect(status).toHaveText("connected");

    await page.getByLabel("Message").fill("hello <b>there</b>");
    await page.getByRole("button", { name: "Send" }).click();

    // Must: the echo and the ack arrive, and payloads are shown as text, not HTML.
    await expect(
      page.locator("#log li", { hasText: "server echoed: hello <b>there</b>" }),
    ).toHaveCount(1);
    await expect(page.locator("#log li", { hasText: "ack: hello <b>there</b>" })).toHaveCount(1);
    await expect(page.locator("#log b")).toHaveCount(0);

    await page.getByRole("button", { name: "Disconnect" }).click();
    await expect(status).toHaveText("disconnected");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect(status).toHaveText("connected");
  });

  test("shows reconnecting while the server is unreachable, then connected again", async ({
    page,
  }) => {
    await page.goto(`/vanilla/?server=${encodeURIComponent(demo.url)}`);
    await expect(page.locator("#status")).toHaveText("connected");
    demo.io.faults.rejectHandshakes(503);
    demo.io.faults.dropTransports();
    await expect(page.locator("#status")).toHaveText("reconnecting");
    demo.io.faults.clear();
    await expect(page.locator("#status")).toHaveText("connected", { timeout: 10_000 });
  });
});

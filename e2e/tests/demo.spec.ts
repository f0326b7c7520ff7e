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

  test("'Bad network' storms the server: the status shows it, messages get through, it calms down", async ({
    page,
  }) => {
    await page.goto(`/vanilla/?server=${encodeURIComponent(demo.url)}`);
    const status = page.locator("#status");
    await expect(status).toHaveText("connected");
    // Every status the page shows, however briefly.
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      const element = document.getElementById("status")!;
      new MutationObserver(() => shown.push(element.textContent ?? "")).observe(element, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });

    await page.getByRole("button", { name: "Bad network: off" }).click();
    await expect(page.getByRole("button", { name: "Bad network: on" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(demo.io.faults.active().storm).toEqual(expect.any(Number));
    const texts = ["one", "two", "three", "four"];
    for (const text of texts) {
      await page.getByLabel("Message").fill(text);
      await page.getByRole("button", { name: "Send" }).click();
      await page.waitForTimeout(800);
    }
    // The storm was felt: the connection went down at least once while the user typed on.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shown: string[] }).shown), {
        // A fault every 1-3 s, two kinds in five drop the connection at once: in 30 s, a run
        // without one would be a 1 in 2,000 chance.
        timeout: 30_000,
      })
      .toContainEqual(expect.not.stringMatching(/^connected$/));
    // Each message acknowledged once, through the faults.
    for (const text of texts)
      await expect(page.locator("#log li", { hasText: `ack: ${text}` })).toHaveCount(1, {
        timeout: 20_000,
      });

    await page.getByRole("button", { name: "Bad network: on" }).click();
    await expect(page.getByRole("button", { name: "Bad network: off" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    expect(demo.io.faults.active()).toEqual({});
    await expect(status).toHaveText("connected", { timeout: 10_000 });
  });
});

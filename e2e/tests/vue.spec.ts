import { expect, type Page, test } from "@playwright/test";
import { chatBetweenTwoPages, restartAndChatAgain } from "./chat-demo.ts";
import { useDemoServer } from "./demo-server.ts";

test.describe("the Vue demo", () => {
  const demo = useDemoServer();

  async function open(page: Page): Promise<void> {
    await page.goto(`/vue-app/?server=${encodeURIComponent(demo.url)}`);
    await expect(page.locator("#status")).toHaveText("connected");
  }

  test("connects through the plugin and shows the live status", async ({ page }) => {
    await open(page);
    await expect(page.locator("#status")).toHaveAttribute("data-status", "connected");
    await expect(page.locator("#detail")).toHaveText(/via websocket/);
    // Must: the whole app (main namespace and "/custom") runs over one connection.
    await expect(page.locator("#custom-panel")).toHaveText("joined /custom");
    expect(demo.io.engine.clientsCount).toBe(1);
  });

  test("chats between two pages, with the server's acknowledgement", async ({ browser }) => {
    await chatBetweenTwoPages(browser, open);
  });

  test("shows reconnecting while the server is down, then connected again", async ({
    page,
    request,
  }) => {
    await open(page);
    const firstSession = await page.locator("#detail").textContent();
    // Must: the app works again after recovering, and its first session was a WebSocket one.
    await restartAndChatAgain(page, request, demo);
    expect(firstSession).toMatch(/via websocket/);
  });

  test("unmounting a component leaves its namespace without leaking a connection", async ({
    page,
  }) => {
    await open(page);
    const custom = demo.io.of("/custom");
    await expect(page.locator("#custom-panel")).toHaveText("joined /custom");
    await expect.poll(() => custom.sockets.size).toBe(1);

    await page.getByRole("button", { name: "Hide the /custom panel" }).click();
    await expect(page.locator("#custom-panel")).toHaveCount(0);
    // Must: after the release delay (1 s) the namespace socket leaves the server, while the
    // app's connection and its main namespace stay.
    await expect.poll(() => custom.sockets.size, { timeout: 10_000 }).toBe(0);
    expect(demo.io.sockets.sockets.size).toBe(1);
    expect(demo.io.engine.clientsCount).toBe(1);
    await expect(page.locator("#status")).toHaveText("connected");

    await page.getByRole("button", { name: "Show the /custom panel" }).click();
    await expect(page.locator("#custom-panel")).toHaveText("joined /custom");
    await expect.poll(() => custom.sockets.size).toBe(1);
    expect(demo.io.engine.clientsCount).toBe(1);
  });
});

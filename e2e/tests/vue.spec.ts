import { expect, type Page, test } from "@playwright/test";
import { useDemoServer } from "./demo-server.ts";

test.describe("the Vue demo", () => {
  const demo = useDemoServer();

  async function open(page: Page): Promise<void> {
    await page.goto(`/vue-app/?server=${encodeURIComponent(demo.url)}`);
    await expect(page.locator("#status")).toHaveText("connected");
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.getByLabel("Message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();
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
    const alice = await browser.newPage();
    const bob = await browser.newPage();
    await open(alice);
    await open(bob);

    await send(alice, "hello <b>bob</b>");
    // Must: both pages get the relayed line, as text; the sender gets the ack.
    await expect(bob.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
    await expect(alice.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
    await expect(alice.locator("#receipt")).toHaveText("ack: hello <b>bob</b>");
    await expect(bob.locator("#log b")).toHaveCount(0);

    await send(bob, "hi alice");
    await expect(alice.locator("#log li").first()).toHaveText("hi alice");
    await alice.close();
    await bob.close();
  });

  test("shows reconnecting while the server is down, then connected again", async ({
    page,
    request,
  }) => {
    await open(page);
    const firstSession = await page.locator("#detail").textContent();
    // Through the mock server's HTTP control endpoint, as a test of a deployed app would.
    const fault = await request.post(`${demo.url}/socket.io/__faults`, {
      data: { action: "restart", downtimeMs: 3000 },
    });
    expect(fault.ok()).toBe(true);

    await expect(page.locator("#status")).toHaveText("reconnecting");
    await expect(page.locator("#detail")).toHaveText(/attempt \d/);
    await expect(page.locator("#status")).toHaveText("connected", { timeout: 15_000 });
    expect(firstSession).toMatch(/via websocket/);

    // Must: the app works again after recovering.
    await send(page, "back again");
    await expect(page.locator("#log li", { hasText: "back again" })).toHaveCount(1);
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

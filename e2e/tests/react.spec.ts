import { expect, type Page, test } from "@playwright/test";
import { useDemoServer } from "./demo-server.ts";

test.describe("the React demo (@wireline/react, under StrictMode)", () => {
  const demo = useDemoServer();

  async function open(page: Page): Promise<void> {
    await page.goto(`/react-app/?server=${encodeURIComponent(demo.url)}`);
    // Generous: a cold dev server may first pre-bundle React and reload the page.
    await expect(page.locator("#status")).toHaveText("connected", { timeout: 20_000 });
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.getByLabel("Message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();
  }

  test("connects once despite StrictMode's double mount, both namespaces over it", async ({
    page,
  }) => {
    let handshakes = 0;
    demo.io.engine.on("connection", () => handshakes++);
    await open(page);
    await expect(page.locator("#status")).toHaveAttribute("data-status", "connected");
    await expect(page.locator("#detail")).toHaveText(/via websocket/);
    await expect(page.locator("#custom-panel")).toHaveText("joined /custom");
    // Past the release delay: a connection torn down by the first mount would be back by now.
    await page.waitForTimeout(500);

    // Must: one Engine.IO session ever, carrying "/" and "/custom".
    expect(handshakes).toBe(1);
    expect(demo.io.engine.clientsCount).toBe(1);
    expect(demo.io.sockets.sockets.size).toBe(1);
    expect(demo.io.of("/custom").sockets.size).toBe(1);
  });

  test("chats between two pages, with the server's acknowledgement", async ({ browser }) => {
    const alice = await browser.newPage();
    const bob = await browser.newPage();
    await open(alice);
    await open(bob);

    await send(alice, "hello <b>bob</b>");
    // Must: both pages show the relayed line once, as text; the sender gets the receipt.
    await expect(bob.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
    await expect(alice.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
    await expect(alice.locator("#receipt")).toHaveText("ack: hello <b>bob</b>");
    await expect(bob.locator("#log b")).toHaveCount(0);

    await send(bob, "hi alice");
    await expect(alice.locator("#log li").first()).toHaveText("hi alice");
    await alice.close();
    await bob.close();
  });

  test("shows the live status through a server drop and its recovery", async ({
    page,
    request,
  }) => {
    await open(page);
    // Through the mock server's HTTP control endpoint, as a test of a deployed app would.
    const fault = await request.post(`${demo.url}/socket.io/__faults`, {
      data: { action: "restart", downtimeMs: 3000 },
    });
    expect(fault.ok()).toBe(true);

    await expect(page.locator("#status")).toHaveText("reconnecting");
    await expect(page.locator("#detail")).toHaveText(/attempt \d/);
    await expect(page.locator("#status")).toHaveText("connected", { timeout: 15_000 });

    // Must: the app works again after recovering, on one connection.
    await send(page, "back again");
    await expect(page.locator("#log li", { hasText: "back again" })).toHaveCount(1);
    await expect(page.locator("#receipt")).toHaveText("ack: back again");
    expect(demo.io.engine.clientsCount).toBe(1);
  });

  test("unmounting components leaves their namespace, and the last one the connection", async ({
    page,
  }) => {
    await open(page);
    const custom = demo.io.of("/custom");
    await expect(page.locator("#custom-panel")).toHaveText("joined /custom");
    await expect.poll(() => custom.sockets.size).toBe(1);

    await page.getByRole("button", { name: "Hide the /custom panel" }).click();
    await expect(page.locator("#custom-panel")).toHaveCount(0);
    // Must: "/custom" leaves the server while the chat keeps the connection and "/".
    await expect.poll(() => custom.sockets.size).toBe(0);
    expect(demo.io.sockets.sockets.size).toBe(1);
    expect(demo.io.engine.clientsCount).toBe(1);

    await page.getByRole("button", { name: "Hide the chat" }).click();
    // Must: with no user left, the connection closes: nothing leaks on the server.
    await expect.poll(() => demo.io.engine.clientsCount).toBe(0);
    await expect(page.locator("#status")).toHaveText("disconnected");

    await page.getByRole("button", { name: "Show the chat" }).click();
    await expect(page.locator("#status")).toHaveText("connected");
    await expect.poll(() => demo.io.engine.clientsCount).toBe(1);
    expect(custom.sockets.size).toBe(0);
  });
});

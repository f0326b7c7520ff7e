import { expect, type Page, test } from "@playwright/test";
import { chatBetweenTwoPages, restartAndChatAgain } from "./chat-demo.ts";
import { useDemoServer } from "./demo-server.ts";

test.describe("the React demo (@wireline/react, under StrictMode)", () => {
  const demo = useDemoServer();

  async function open(page: Page): Promise<void> {
    await page.goto(`/react-app/?server=${encodeURIComponent(demo.url)}`);
    // Generous: a cold dev server may first pre-bundle React and reload the page.
    await expect(page.locator("#status")).toHaveText("connected", { timeout: 20_000 });
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
    await chatBetweenTwoPages(browser, open);
  });

  test("shows the live status through a server drop and its recovery", async ({
    page,
    request,
  }) => {
    await open(page);
    await restartAndChatAgain(page, request, demo);
    // Must: the app works again after recovering, on one connection.
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

// What the React and Vue demo apps share: the same chat page (#status, #detail, #log,
// #receipt, a "Message" field and a "Send" button). Both specs drive it through these steps.
import { type APIRequestContext, type Browser, expect, type Page } from "@playwright/test";
import type { DemoServer } from "./demo-server.ts";

/** Types `text` into the chat and sends it. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/**
 * Two pages opened with `open` chat: each line reaches both once, rendered as text, and the
 * sender shows the server's acknowledgement.
 */
export async function chatBetweenTwoPages(
  browser: Browser,
  open: (page: Page) => Promise<void>,
): Promise<void> {
  const alice = await browser.newPage();
  const bob = await browser.newPage();
  await open(alice);
  await open(bob);

  await sendMessage(alice, "hello <b>bob</b>");
  await expect(bob.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
  await expect(alice.locator("#log li", { hasText: "hello <b>bob</b>" })).toHaveCount(1);
  await expect(alice.locator("#receipt")).toHaveText("ack: hello <b>bob</b>");
  await expect(bob.locator("#log b")).toHaveCount(0);

  await sendMessage(bob, "hi alice");
  await expect(alice.locator("#log li").first()).toHaveText("hi alice");
  await alice.close();
  await bob.close();
}

/**
 * Restarts the demo server for 3 s through its HTTP control endpoint, as a test of a deployed
 * app would: the page shows "reconnecting" with its attempt, then "connected", and chats again.
 */
export async function restartAndChatAgain(
  page: Page,
  request: APIRequestContext,
  demo: DemoServer,
): Promise<void> {
  const fault = await request.post(`${demo.url}/socket.io/__faults`, {
    data: { action: "restart", downtimeMs: 3000 },
  });
  expect(fault.ok()).toBe(true);

  await expect(page.locator("#status")).toHaveText("reconnecting");
  await expect(page.locator("#detail")).toHaveText(/attempt \d/);
  await expect(page.locator("#status")).toHaveText("connected", { timeout: 15_000 });

  await sendMessage(page, "back again");
  await expect(page.locator("#log li", { hasText: "back again" })).toHaveCount(1);
  await expect(page.locator("#receipt")).toHaveText("ack: back again");
}

import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { demoScenario, Server } from "@wireline/mock-server";

const XSS = `<img src=x onerror="window.__xss=1">`;

test.describe("the devtools panel", () => {
  let io: Server;
  let url: string;

  test.beforeEach(async () => {
    const httpServer = createServer();
    io = new Server(httpServer, { cors: { origin: "*" } });
    demoScenario(io);
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  });

  test.afterEach(async () => {
    await io.close();
  });

  async function openPanel(page: Page, query = "") {
    await page.goto(`/fixtures/devtools.html?server=${encodeURIComponent(url)}${query}`);
    await expect(page.locator("#ready")).toHaveText("ready");
    const panel = page.locator("wireline-devtools");
    await page.getByRole("button", { name: "Wireline devtools" }).click();
    await expect(panel.getByRole("dialog", { name: "Wireline devtools" })).toBeVisible();
    await expect(panel.getByRole("status")).toHaveText("connected");
    return panel;
  }

  async function chat(page: Page, text: string) {
    await page.getByLabel("Message").fill(text);
    await page.getByRole("button", { name: "Send" }).click();
  }

  test("opens, lists live packets while chatting, and filters them", async ({ page }) => {
    const panel = await openPanel(page);
    const packets = panel.getByRole("list", { name: "Packets, newest first" }).getByRole("button");
    await chat(page, "hello");
    // Must: the packets appear live, both ways, with their event names.
    await expect(packets.filter({ hasText: 'EVENT / "message-back"' })).toHaveCount(1);
    await expect(packets.filter({ hasText: /EVENT \/ "message" ·/ })).toHaveCount(1);
    await expect(packets.filter({ hasText: 'EVENT / "chat"' })).toHaveCount(2);

    await panel.getByLabel("Direction").selectOption("in");
    await expect(packets.filter({ hasText: /EVENT \/ "message" ·/ })).toHaveCount(0);
    await expect(packets.filter({ hasText: 'EVENT / "message-back"' })).toHaveCount(1);
    await panel.getByLabel("Direction").selectOption("");

    await panel.getByLabel("Event").fill("chat");
    await expect(packets.filter({ hasText: 'EVENT / "chat"' })).toHaveCount(2);
    await expect(packets).toHaveCount(2);
    await panel.getByLabel("Event").fill("");

    // message, message-back, and chat both ways.
    await panel.getByLabel("Search").fill("hello");
    await expect(packets).toHaveCount(4);
    await panel.getByLabel("Search").fill("");

    // A namespace opened later gets its own filter option.
    await page.evaluate(() => window.socket.io.socket("/custom"));
    await expect(panel.getByLabel("Namespace").locator("option")).toHaveText([
      "All",
      "/",
      "/custom",
    ]);
    await panel.getByLabel("Namespace").selectOption("/custom");
    await expect(packets.filter({ hasText: "CONNECT /custom" })).toHaveCount(2);
    await expect(packets.filter({ hasText: "EVENT /custom" })).toHaveCount(1);
    await expect(packets.filter({ hasText: /CONNECT \/ ·/ })).toHaveCount(0);

    // Must: the payload viewer shows the selected packet.
    await packets.filter({ hasText: 'EVENT /custom "auth"' }).click();
    await expect(panel.getByLabel("Payload of the selected packet")).toContainText("[\n  {}\n]");
  });

  test("is keyboard accessible: focus moves in, Escape closes and returns focus", async ({
    page,
  }) => {
    const panel = await openPanel(page);
    await expect(panel.getByRole("heading", { name: "Wireline devtools" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(panel.getByRole("button", { name: "Close devtools" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(panel.getByRole("button", { name: "Disconnect" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(panel.getByRole("dialog")).toBeHidden();
    const toggle = page.getByRole("button", { name: "Wireline devtools" });
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await page.keyboard.press("Enter");
    await expect(panel.getByRole("dialog")).toBeVisible();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    // Escape also closes while the focus is back on the toggle.
    await toggle.focus();
    await page.keyboard.press("Escape");
    await expect(panel.getByRole("dialog")).toBeHidden();
  });

  test("shows a simulated offline and the way back in the timeline", async ({ page }) => {
    const panel = await openPanel(page);
    const timeline = panel.getByRole("list", { name: "Timeline, newest first" });
    await panel.getByRole("button", { name: "Simulate offline" }).click();
    await expect(panel.getByRole("status")).toHaveText("offline");
    await expect(timeline.getByText("connected → offline (offline)")).toBeVisible();
    await expect(timeline.getByText("signal: offline")).toBeVisible();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    // Must: what is emitted meanwhile waits in the outbox, and the panel lists it.
    await chat(page, "later");
    const outbox = panel.getByRole("list", { name: "Packets waiting to be sent" });
    await expect(outbox.getByRole("listitem")).toHaveText([/\/ "message"/, /\/ "chat"/]);

    await panel.getByRole("button", { name: "Back online" }).click();
    await expect(panel.getByRole("status")).toHaveText("connected");
    await expect(timeline.getByText("offline → connected (online)")).toBeVisible();
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    await expect(outbox.getByRole("listitem")).toHaveText(["Empty: nothing waits to be sent."]);
    await expect(timeline.getByText(/outbox flush: "message", "chat"; 0 waiting/)).toBeVisible();
  });

  test("disconnects and reconnects on demand, and counts down to the next retry", async ({
    page,
  }) => {
    const panel = await openPanel(page);
    await panel.getByRole("button", { name: "Disconnect" }).click();
    await expect(panel.getByRole("status")).toHaveText("disconnected");
    await panel.getByRole("button", { name: "Reconnect now" }).click();
    await expect(panel.getByRole("status")).toHaveText("connected");

    io.faults.rejectHandshakes(503);
    io.faults.dropTransports();
    await expect(panel.getByRole("status")).toHaveText("reconnecting");
    await expect(panel.locator(".countdown")).toHaveText(/attempt \d+ in \d+\.\d s/);
    io.faults.clear();
    await expect(panel.getByRole("status")).toHaveText("connected", { timeout: 10_000 });
    await expect(
      panel
        .getByRole("list", { name: "Timeline, newest first" })
        .getByText(/connected → disconnected \(transport close\)/),
    ).toBeVisible();
  });

  test("shows an HTML payload as text and runs nothing", async ({ page }) => {
    const panel = await openPanel(page);
    await chat(page, XSS);
    const packets = panel.getByRole("list", { name: "Packets, newest first" }).getByRole("button");
    await packets.filter({ hasText: 'EVENT / "message-back"' }).click();
    const viewer = panel.getByLabel("Payload of the selected packet");
    await expect(viewer).toContainText('<img src=x onerror=\\"window.__xss=1\\">');
    // An event name is data too.
    await page.evaluate((name) => window.socket.emit(name), XSS);
    await panel.getByLabel("Search").fill("onerror");
    await expect(packets.filter({ hasText: 'EVENT / "<img src=x onerror' })).toHaveCount(1);
    await expect(packets).toHaveCount(5);
    await page.waitForTimeout(300); // lets an image load fail, were one ever created
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await panel.locator("img").count()).toBe(0);
  });

  test("fits a 360 px wide screen", async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const panel = await openPanel(page);
    const box = await panel.getByRole("dialog").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    for (const name of ["Disconnect", "Reconnect now", "Simulate offline", "Export log"]) {
      const button = await panel.getByRole("button", { name }).boundingBox();
      expect(button!.x + button!.width).toBeLessThanOrEqual(360);
    }
  });

  test("exports the log as a versioned JSON download", async ({ page }) => {
    const panel = await openPanel(page);
    await chat(page, "saved");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      panel.getByRole("button", { name: "Export log" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^wireline-event-log-.*\.json$/);
    const text = await (await download.createReadStream()).toArray();
    const json = JSON.parse(Buffer.concat(text).toString("utf8"));
    expect(json).toMatchObject({ format: "wireline-event-log", version: 1 });
    expect(JSON.stringify(json.entries)).toContain('"saved"');
  });

  for (const theme of ["light", "dark"] as const) {
    test(`renders the open panel in the ${theme} theme`, async ({ page }) => {
      const panel = await openPanel(page, `&theme=${theme}`);
      await chat(page, `${theme} theme`);
      const packets = panel
        .getByRole("list", { name: "Packets, newest first" })
        .getByRole("button");
      await packets.filter({ hasText: 'EVENT / "message-back"' }).click();
      mkdirSync("test-results/devtools", { recursive: true });
      const path = `test-results/devtools/panel-${theme}.png`;
      const image = await panel.getByRole("dialog").screenshot({ path, animations: "disabled" });
      expect(statSync(path).size).toBeGreaterThan(5_000);
      // Must: not blank. Counted in the page, which can decode PNGs.
      const stats = await page.evaluate(async (base64) => {
        const bitmap = await createImageBitmap(
          await (await fetch(`data:image/png;base64,${base64}`)).blob(),
        );
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d")!;
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        const colours = new Set<number>();
        let luminance = 0;
        for (let i = 0; i < data.length; i += 4) {
          colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          luminance += 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
        }
        return { colours: colours.size, luminance: luminance / (data.length / 4) };
      }, image.toString("base64"));
      expect(stats.colours).toBeGreaterThan(50);
      // The theme really applies: a light panel is mostly light, a dark one mostly dark.
      if (theme === "light") expect(stats.luminance).toBeGreaterThan(170);
      else expect(stats.luminance).toBeLessThan(90);
      writeFileSync(`test-results/devtools/panel-${theme}.json`, JSON.stringify(stats));
    });
  }
});

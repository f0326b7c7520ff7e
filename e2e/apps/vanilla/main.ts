// The plain-page demo: live connection status, and messages echoed by the server with an ack.
import { io } from "@wireline/sdk";
import "@wireline/sdk/devtools/panel";

const params = new URLSearchParams(location.search);
const serverUrl = params.get("server") ?? `${location.protocol}//${location.hostname}:3000`;

// With retries, an emit whose ack does not come in time is sent again (with the same id, so
// the server could drop a repeat): messages get through the "bad network" below.
const socket = io(serverUrl, { retries: 5, ackTimeout: 3000 });

// The devtools panel: a floating button (bottom right) opens a live view of the connection.
const devtools = document.createElement("wireline-devtools");
devtools.attach(socket);
document.body.append(devtools);

const status = document.getElementById("status")!;
const detail = document.getElementById("detail")!;
const log = document.getElementById("log")!;
const composer = document.getElementById("composer") as HTMLFormElement;
const input = document.getElementById("text") as HTMLInputElement;
const toggle = document.getElementById("toggle") as HTMLButtonElement;
const stormButton = document.getElementById("storm") as HTMLButtonElement;
const stormDetail = document.getElementById("storm-detail")!;

function append(line: string): void {
  const item = document.createElement("li");
  item.textContent = line; // payloads are text, never HTML
  log.prepend(item);
}

function render(): void {
  const snapshot = socket.io.getSnapshot();
  status.textContent = snapshot.status;
  status.dataset.status = snapshot.status;
  const parts = [];
  if (snapshot.transport) parts.push(`via ${snapshot.transport}`);
  if (snapshot.attempt > 0) parts.push(`attempt ${snapshot.attempt}`);
  if (snapshot.lastError) parts.push(`last error: ${snapshot.lastError.message}`);
  detail.textContent = parts.join(" · ");
  toggle.textContent = socket.active ? "Disconnect" : "Connect";
}

socket.io.subscribe(render);
render();

socket.on("message-back", (text: unknown) => append(`server echoed: ${String(text)}`));
socket.on("chat", (text: unknown) => append(`broadcast: ${String(text)}`));

composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  append(`you: ${text}`);
  socket.emit("message", text);
  socket.emit("message-with-ack", text, (err: Error | null, reply: unknown) => {
    append(err ? `no ack: ${err.message}` : `ack: ${String(reply)}`);
  });
});

/**
 * Starts or ends the mock server's fault storm (its `POST /socket.io/__faults` endpoint): a
 * fault every 1-3 s, each lasting up to 2 s, from those a person can watch play out.
 */
async function setStorm(on: boolean): Promise<void> {
  const request = on
    ? {
        action: "storm",
        gapMs: [1000, 3000],
        holdMs: [500, 2000],
        faults: [
          "dropTransports",
          "restart",
          "closeAfterPackets",
          "rejectHandshakes",
          "delayHandshakes",
        ],
      }
    : { action: "clear", fault: "storm" };
  const response = await fetch(`${serverUrl}/socket.io/__faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { active?: { storm?: number }; error?: string };
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  const seed = body.active?.storm;
  stormButton.setAttribute("aria-pressed", String(seed !== undefined));
  stormButton.textContent = `Bad network: ${seed === undefined ? "off" : "on"}`;
  stormDetail.textContent =
    seed === undefined ? "The server behaves again." : `Faults strike at random (seed ${seed}).`;
}

stormButton.addEventListener("click", () => {
  const on = stormButton.getAttribute("aria-pressed") !== "true";
  setStorm(on).catch((error: unknown) => {
    stormDetail.textContent = `Cannot reach the fault endpoint: ${String(error)}`;
  });
});

toggle.addEventListener("click", () => {
  if (socket.active) socket.disconnect();
  else socket.connect();
  render();
});

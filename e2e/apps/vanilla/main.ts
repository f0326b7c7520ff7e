// The plain-page demo: live connection status, and messages echoed by the server with an ack.
import { io } from "@wireline/sdk";
import "@wireline/sdk/devtools/panel";

const params = new URLSearchParams(location.search);
const serverUrl = params.get("server") ?? `${location.protocol}//${location.hostname}:3000`;

const socket = io(serverUrl);

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
  socket.timeout(5000).emit("message-with-ack", text, (err: Error | null, reply: unknown) => {
    append(err ? `no ack: ${err.message}` : `ack: ${String(reply)}`);
  });
});

toggle.addEventListener("click", () => {
  if (socket.active) socket.disconnect();
  else socket.connect();
  render();
});

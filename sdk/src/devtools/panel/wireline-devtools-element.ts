import type { Manager } from "../../manager.ts";
import type { Socket } from "../../socket.ts";
import { attachEventLog, type EventLogOptions } from "../attach-event-log.ts";
import {
  describePacketRow,
  describeTimelineEntry,
  formatClock,
  isPacketRow,
  type PacketRow,
} from "../describe-entry.ts";
import type { EventLog } from "../event-log.ts";
import type { EventLogEntry } from "../event-log-entry.ts";
import { EMPTY_PACKET_FILTER, matchesPacketFilter, type PacketFilter } from "./packet-filter.ts";
import { PANEL_STYLES } from "./panel-styles.ts";
import { PANEL_TEMPLATE } from "./panel-template.ts";

/** Rows each list shows at most, newest first: enough to debug, cheap to redraw. */
const MAX_TIMELINE_ROWS = 200;
const MAX_PACKET_ROWS = 300;

// During server-side rendering there is no HTMLElement: the class is then defined over a
// stand-in and never instantiated (`defineWirelineDevtools()` registers nothing there).
const ElementBase =
  (globalThis as { HTMLElement?: typeof HTMLElement }).HTMLElement ??
  (class {} as unknown as typeof HTMLElement);

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * `<wireline-devtools>`: a floating button that opens a live view of one connection: status
 * with a countdown to the next retry, a timeline of transitions, a filterable packet list with
 * a payload viewer, the outbox, and actions (disconnect, reconnect now, simulate offline,
 * export the log). Shadow DOM keeps its styles in and the page's out. Attributes: `theme`
 * ("light", "dark"; default follows `prefers-color-scheme`) and `open`.
 *
 * @example
 * const panel = document.createElement("wireline-devtools");
 * document.body.append(panel);
 * panel.attach(socket); // or: panel.log = attachEventLog(socket)
 */
export class WirelineDevtoolsElement extends ElementBase {
  static readonly observedAttributes = ["open"];

  readonly #root: ShadowRoot;
  #log: EventLog | undefined;
  /** Whether this element created the log (and so detaches it). */
  #ownsLog = false;
  #unsubscribe: Array<() => void> = [];
  #filter: PacketFilter = { ...EMPTY_PACKET_FILTER };
  #selected: PacketRow | undefined;
  #renderQueued = false;
  #countdownTimer: ReturnType<typeof setInterval> | undefined;
  #simulatingOffline = false;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    const style = element("style");
    style.textContent = PANEL_STYLES;
    const template = document.createElement("template");
    template.innerHTML = PANEL_TEMPLATE; // static markup only, see panel-template.ts
    this.#root.append(style, template.content);
    this.#part(".toggle").addEventListener("click", () => this.toggle());
    this.#part(".close").addEventListener("click", () => this.hide());
    // Escape closes from anywhere in the element: the panel or its toggle button.
    this.#root.addEventListener("keydown", (event) => {
      if ((event as KeyboardEvent).key !== "Escape" || !this.isOpen) return;
      event.stopPropagation();
      this.hide();
    });
    this.#part(".actions").addEventListener("click", (event) => {
      const button = (event.target as Element).closest("button[data-action]");
      if (button) this.#act(button.getAttribute("data-action") ?? "");
    });
    this.#part(".filters").addEventListener("input", () => this.#readFilter());
    this.#part(".filters").addEventListener("change", () => this.#readFilter());
    this.#part(".packets").addEventListener("click", (event) => {
      const button = (event.target as Element).closest("button[data-seq]");
      if (!button) return;
      const seq = Number(button.getAttribute("data-seq"));
      const row = this.#log?.entries().find((entry) => entry.seq === seq);
      this.#selected = row && isPacketRow(row) ? row : undefined;
      this.#scheduleRender();
    });
  }

  /** The log shown. Setting one subscribes to it; the element does not detach a log it was given. */
  get log(): EventLog | undefined {
    return this.#log;
  }

  set log(log: EventLog | undefined) {
    this.#release();
    this.#log = log;
    this.#ownsLog = false;
    if (log) this.#subscribe(log);
    this.#scheduleRender();
  }

  /**
   * Records `socketOrManager` with a new event log and shows it; `detach()` (or attaching
   * another) stops that log. Returns the log, e.g. to export it.
   */
  attach(socketOrManager: Socket | Manager, options?: EventLogOptions): EventLog {
    const log = attachEventLog(socketOrManager, options);
    this.log = log;
    this.#ownsLog = true;
    return log;
  }

  /** Stops showing the log, and detaches it if `attach()` created it. */
  detach(): void {
    if (this.#simulatingOffline) this.#setSimulatedOffline(false);
    this.#release();
    this.#log = undefined;
    this.#scheduleRender();
  }

  /** Whether the panel is open. */
  get isOpen(): boolean {
    return this.hasAttribute("open");
  }

  /** Opens the panel and moves focus into it. */
  show(): void {
    this.setAttribute("open", "");
    (this.#part("#title") as HTMLElement).focus();
  }

  /** Closes the panel and gives focus back to the toggle button. */
  hide(): void {
    this.removeAttribute("open");
    (this.#part(".toggle") as HTMLElement).focus();
  }

  /** Opens or closes the panel. */
  toggle(): void {
    if (this.isOpen) this.hide();
    else this.show();
  }

  attributeChangedCallback(): void {
    const open = this.isOpen;
    (this.#part(".panel") as HTMLElement).hidden = !open;
    this.#part(".toggle").setAttribute("aria-expanded", String(open));
    if (open && this.#countdownTimer === undefined) {
      // Only the countdown needs a clock; nothing ticks while the panel is closed.
      this.#countdownTimer = setInterval(() => this.#renderStatus(), 250);
    } else if (!open) this.#stopCountdown();
    this.#scheduleRender();
  }

  connectedCallback(): void {
    this.attributeChangedCallback();
  }

  disconnectedCallback(): void {
    this.#stopCountdown();
    // A simulated offline must not outlive the panel that can end it.
    if (this.#simulatingOffline) this.#setSimulatedOffline(false);
  }

  #stopCountdown(): void {
    clearInterval(this.#countdownTimer);
    this.#countdownTimer = undefined;
  }

  #part(selector: string): Element {
    const found = this.#root.querySelector(selector);
    if (!found) throw new Error(`Wireline devtools: missing part ${selector}`);
    return found;
  }

  #subscribe(log: EventLog): void {
    this.#unsubscribe = [
      log.subscribe((change) => {
        if (change.type === "clear") this.#selected = undefined;
        this.#scheduleRender();
      }),
      log.manager.subscribe(() => this.#scheduleRender()),
    ];
  }

  #release(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    if (this.#ownsLog) this.#log?.detach();
    this.#ownsLog = false;
  }

  #act(action: string): void {
    const log = this.#log;
    if (!log) return;
    const manager = log.manager;
    const sockets = [...manager.nsps.values()];
    switch (action) {
      case "disconnect":
        for (const socket of sockets) socket.disconnect();
        manager.close();
        break;
      case "reconnect":
        if (manager.reconnecting) manager.reconnectNow();
        else if (sockets.length > 0) for (const socket of sockets) socket.connect();
        else manager.open();
        break;
      case "offline":
        this.#setSimulatedOffline(!this.#simulatingOffline);
        break;
      case "export":
        log.download();
        break;
      case "clear":
        log.clear();
        break;
    }
    this.#scheduleRender();
  }

  /** Plays the browser's part when the network drops or returns: `navigator.onLine` and the event. */
  #setSimulatedOffline(offline: boolean): void {
    this.#simulatingOffline = offline;
    if (offline) {
      Object.defineProperty(navigator, "onLine", { configurable: true, get: () => false });
    } else {
      // The own property shadowed the browser's getter on Navigator.prototype.
      delete (navigator as { onLine?: boolean }).onLine;
    }
    window.dispatchEvent(new Event(offline ? "offline" : "online"));
    const button = this.#part('[data-action="offline"]');
    button.setAttribute("aria-pressed", String(offline));
    button.textContent = offline ? "Back online" : "Simulate offline";
  }

  #readFilter(): void {
    const value = (name: string) =>
      (this.#part(`.filters [name="${name}"]`) as HTMLInputElement | HTMLSelectElement).value;
    this.#filter = {
      nsp: value("nsp"),
      direction: value("direction") as PacketFilter["direction"],
      event: value("event").trim(),
      search: value("search").trim(),
      heartbeats: (this.#part('.filters [name="heartbeats"]') as HTMLInputElement).checked,
    };
    this.#scheduleRender();
  }

  #scheduleRender(): void {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    // Coalesces a burst of packets into one redraw.
    const frame = globalThis.requestAnimationFrame ?? ((run: () => void) => setTimeout(run, 16));
    frame(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  #render(): void {
    this.#renderStatus();
    if (!this.isOpen) return;
    const entries = this.#log?.entries() ?? [];
    this.#renderTimeline(entries);
    this.#renderNamespaces(entries);
    this.#renderPackets(entries);
    this.#renderPayload();
    this.#renderOutbox();
  }

  #renderStatus(): void {
    const snapshot = this.#log?.manager.getSnapshot();
    const status = snapshot?.status ?? "no connection";
    for (const dot of this.#root.querySelectorAll(".dot")) dot.setAttribute("data-status", status);
    this.#part(".toggle-status").textContent = snapshot ? `· ${status}` : "";
    if (!this.isOpen) return;
    this.#part(".status").textContent = status;
    const retryIn =
      snapshot?.nextRetryAt === undefined
        ? undefined
        : Math.max(0, (snapshot.nextRetryAt - Date.now()) / 1000);
    this.#part(".countdown").textContent =
      retryIn === undefined ? "" : `attempt ${snapshot?.attempt} in ${retryIn.toFixed(1)} s`;
    const detail: string[] = [];
    if (snapshot?.transport) detail.push(`via ${snapshot.transport}`);
    if (snapshot?.id) detail.push(`sid ${snapshot.id}`);
    if (snapshot?.recovered) detail.push("session recovered");
    if (snapshot?.lastError) detail.push(`last error: ${snapshot.lastError.message}`);
    this.#part(".detail").textContent = detail.join(" · ");
    const connected = status === "connected" || status === "connecting";
    const actions = this.#part(".actions");
    for (const button of actions.querySelectorAll("button")) button.disabled = !this.#log;
    if (this.#log) {
      (actions.querySelector('[data-action="reconnect"]') as HTMLButtonElement).disabled =
        connected;
      (actions.querySelector('[data-action="disconnect"]') as HTMLButtonElement).disabled =
        status === "disconnected" || status === "idle";
    }
  }

  #renderTimeline(entries: EventLogEntry[]): void {
    const rows: HTMLElement[] = [];
    for (let i = entries.length - 1; i >= 0 && rows.length < MAX_TIMELINE_ROWS; i--) {
      const entry = entries[i]!;
      if (isPacketRow(entry)) continue;
      const row = element("li", entry.kind === "error" ? "error" : entry.kind);
      row.dataset.kind = entry.kind;
      row.append(
        element("span", "time", formatClock(entry.wallClock)),
        element("span", "text", describeTimelineEntry(entry)),
      );
      rows.push(row);
    }
    this.#fill(this.#part(".timeline"), rows, "Nothing yet.");
  }

  #renderNamespaces(entries: EventLogEntry[]): void {
    const namespaces = new Set(this.#log?.manager.nsps.keys() ?? []);
    for (const entry of entries) if (isPacketRow(entry) && entry.nsp) namespaces.add(entry.nsp);
    const select = this.#part('.filters [name="nsp"]') as HTMLSelectElement;
    const current = [...select.options].slice(1).map((option) => option.value);
    const wanted = [...namespaces].sort();
    if (current.join("\n") === wanted.join("\n")) return;
    const value = select.value;
    select.replaceChildren(element("option", undefined, "All"));
    (select.firstChild as HTMLOptionElement).value = "";
    for (const nsp of wanted) {
      const option = element("option", undefined, nsp);
      option.value = nsp;
      select.append(option);
    }
    select.value = wanted.includes(value) ? value : "";
  }

  #renderPackets(entries: EventLogEntry[]): void {
    const list = this.#part(".packets");
    const focusedSeq = this.#root.activeElement?.getAttribute("data-seq");
    const rows: HTMLElement[] = [];
    for (let i = entries.length - 1; i >= 0 && rows.length < MAX_PACKET_ROWS; i--) {
      const entry = entries[i]!;
      if (!isPacketRow(entry) || !matchesPacketFilter(entry, this.#filter)) continue;
      const button = element("button", "packet");
      button.type = "button";
      button.dataset.seq = String(entry.seq);
      button.setAttribute("aria-current", String(entry.seq === this.#selected?.seq));
      button.append(
        element("span", `dir ${entry.direction}`, entry.direction === "in" ? "↓" : "↑"),
        element("span", "time", formatClock(entry.wallClock)),
        element("span", "summary", describePacketRow(entry)),
      );
      button.title = `${entry.direction === "in" ? "received" : "sent"}: ${describePacketRow(entry)}`;
      const row = element("li");
      row.dataset.direction = entry.direction;
      row.append(button);
      rows.push(row);
    }
    this.#fill(list, rows, "No packets match.");
    if (focusedSeq)
      (list.querySelector(`[data-seq="${focusedSeq}"]`) as HTMLElement | null)?.focus();
  }

  #renderPayload(): void {
    const selected = this.#selected;
    const viewer = this.#part(".payload");
    if (!selected) {
      viewer.textContent = "Select a packet to see its payload.";
      return;
    }
    const body =
      selected.kind === "packet"
        ? selected.payload === undefined
          ? "(no payload)"
          : JSON.stringify(selected.payload, null, 2)
        : `latency ${selected.latencyMs.toFixed(1)} ms`;
    // textContent: a payload is shown as the text it is, never parsed as markup.
    viewer.textContent = `${describePacketRow(selected)}\n${formatClock(selected.wallClock)}\n\n${body}`;
  }

  #renderOutbox(): void {
    const rows: HTMLElement[] = [];
    // Sockets may share one outbox: each is listed once.
    const outboxes = new Set([...(this.#log?.manager.nsps.values() ?? [])].map((s) => s.outbox));
    for (const outbox of outboxes) {
      for (const entry of outbox.entries()) {
        const ack = entry.ackId === undefined ? "" : ` #${entry.ackId}`;
        const count = `${entry.args.length} argument${entry.args.length === 1 ? "" : "s"}`;
        const text = `${entry.nsp} ${JSON.stringify(entry.event)}${ack} (${count}, ${entry.bytes} B)`;
        rows.push(element("li", undefined, text));
      }
    }
    this.#fill(this.#part(".outbox-list"), rows, "Empty: nothing waits to be sent.");
  }

  #fill(list: Element, rows: HTMLElement[], emptyText: string): void {
    if (rows.length === 0) list.replaceChildren(element("li", "empty", emptyText));
    else list.replaceChildren(...rows);
  }
}

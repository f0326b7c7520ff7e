/** The dark theme's colours, chosen by `theme="dark"` or by the system when no theme is set. */
const DARK_PALETTE = `
  --wl-bg: #161a22;
  --wl-fg: #e6e9ef;
  --wl-muted: #9aa3b5;
  --wl-border: #343b4a;
  --wl-accent: #8fb0ff;
  --wl-row: #1f2430;
  --wl-selected: #2b3a5e;
  --wl-in: #6fd69b;
  --wl-out: #f0b35e;
  --wl-ok: #6fd69b;
  --wl-warn: #f0b35e;
  --wl-bad: #ff8a80;
`;

/**
 * The panel's stylesheet, scoped by its shadow root so nothing leaks either way. Light by
 * default; dark under `prefers-color-scheme: dark` unless `theme="light"`, or with `theme="dark"`.
 */
export const PANEL_STYLES = `
:host {
  --wl-bg: #ffffff;
  --wl-fg: #1d2330;
  --wl-muted: #5b6475;
  --wl-border: #d5dae3;
  --wl-accent: #2457d6;
  --wl-row: #f3f5f9;
  --wl-selected: #dde7ff;
  --wl-in: #1b7f47;
  --wl-out: #8a4b00;
  --wl-ok: #1b7f47;
  --wl-warn: #a15c00;
  --wl-bad: #b3261e;
  all: initial;
  position: fixed;
  right: 12px;
  bottom: 12px;
  z-index: 2147483000;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--wl-fg);
}
:host([theme="dark"]) {
${DARK_PALETTE}}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) {
${DARK_PALETTE}  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button, select, input {
  font: inherit;
  color: var(--wl-fg);
  background: var(--wl-row);
  border: 1px solid var(--wl-border);
  border-radius: 6px;
  padding: 4px 8px;
  min-height: 30px;
}
button { cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--wl-accent); }
button:disabled { opacity: 0.5; cursor: default; }
button:focus-visible, select:focus-visible, input:focus-visible {
  outline: 2px solid var(--wl-accent);
  outline-offset: 1px;
}
button[aria-pressed="true"] { background: var(--wl-selected); border-color: var(--wl-accent); }
.toggle {
  display: flex;
  align-items: center;
  gap: 6px;
  margin-left: auto;
  background: var(--wl-bg);
  box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
  border-radius: 999px;
  padding: 6px 12px;
}
.dot { width: 10px; height: 10px; border-radius: 50%; background: var(--wl-muted); flex: none; }
.dot[data-status="connected"] { background: var(--wl-ok); }
.dot[data-status="connecting"], .dot[data-status="reconnecting"] { background: var(--wl-warn); }
.dot[data-status="offline"], .dot[data-status="disconnected"] { background: var(--wl-bad); }
.panel {
  position: fixed;
  right: 12px;
  bottom: 56px;
  width: min(560px, calc(100vw - 24px));
  max-height: min(80vh, 720px);
  overflow: auto;
  display: flex;
  flex-direction: column;
  gap: 10px;
  padding: 12px;
  background: var(--wl-bg);
  border: 1px solid var(--wl-border);
  border-radius: 10px;
  box-shadow: 0 8px 28px rgb(0 0 0 / 0.3);
}
@media (max-width: 420px) {
  :host { right: 8px; bottom: 8px; }
  .panel { right: 0; bottom: 0; width: 100vw; max-height: 85vh; border-radius: 10px 10px 0 0; }
}
header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
h2, h3 { margin: 0; font-size: 14px; }
h3 { font-size: 13px; color: var(--wl-muted); text-transform: uppercase; letter-spacing: 0.04em; }
.status { font-weight: 600; }
.countdown, .detail, .empty, .time { color: var(--wl-muted); }
.close { margin-left: auto; }
.actions, .filters { display: flex; flex-wrap: wrap; gap: 6px; }
.filters label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--wl-muted); flex: 1 1 120px; min-width: 0; }
.filters label.check { flex-direction: row; align-items: center; flex: 0 0 auto; }
.filters input[type="checkbox"] { min-height: 0; }
ol { list-style: none; margin: 0; padding: 0; border: 1px solid var(--wl-border); border-radius: 6px; overflow: auto; }
.timeline { max-height: 160px; }
.packets { max-height: 220px; }
.outbox-list { max-height: 120px; }
li { padding: 3px 6px; border-top: 1px solid var(--wl-border); display: flex; gap: 6px; align-items: baseline; min-width: 0; }
li:first-child { border-top: 0; }
li.error { color: var(--wl-bad); }
.packets li { padding: 0; }
.packet {
  all: unset;
  display: flex;
  gap: 6px;
  width: 100%;
  padding: 3px 6px;
  cursor: pointer;
  min-width: 0;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: 12px;
}
.packet:focus-visible { outline: 2px solid var(--wl-accent); outline-offset: -2px; }
.packet[aria-current="true"] { background: var(--wl-selected); }
.dir { flex: none; width: 1.5em; font-weight: 700; }
.dir.in { color: var(--wl-in); }
.dir.out { color: var(--wl-out); }
.summary { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1; min-width: 0; }
.text { overflow-wrap: anywhere; min-width: 0; }
.payload {
  margin: 0;
  padding: 8px;
  max-height: 200px;
  overflow: auto;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  background: var(--wl-row);
  border: 1px solid var(--wl-border);
  border-radius: 6px;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
}
section { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
`;

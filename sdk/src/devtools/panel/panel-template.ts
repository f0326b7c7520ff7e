/**
 * The panel's static markup. It holds no data: everything the connection says is written
 * later with `textContent`, so a payload can never become markup.
 */
export const PANEL_TEMPLATE = `
<button class="toggle" part="toggle" type="button" aria-label="Wireline devtools" aria-expanded="false" aria-controls="panel">
  <span class="dot" aria-hidden="true"></span><span>Wireline</span><span class="toggle-status"></span>
</button>
<div class="panel" id="panel" part="panel" role="dialog" aria-labelledby="title" hidden>
  <header>
    <h2 id="title" tabindex="-1">Wireline devtools</h2>
    <span class="dot" aria-hidden="true"></span>
    <span class="status" role="status"></span>
    <span class="countdown"></span>
    <button class="close" type="button" aria-label="Close devtools" title="Close (Escape)">✕</button>
  </header>
  <div class="detail"></div>
  <div class="actions">
    <button type="button" data-action="disconnect">Disconnect</button>
    <button type="button" data-action="reconnect">Reconnect now</button>
    <button type="button" data-action="offline" aria-pressed="false"
      title="Makes navigator.onLine false and fires the page's offline event, as the browser does when the network drops: the connection pauses its retries; an open transport stays open until it fails. Press again to go back online.">Simulate offline</button>
    <button type="button" data-action="export">Export log</button>
    <button type="button" data-action="clear">Clear log</button>
  </div>
  <section aria-labelledby="timeline-title">
    <h3 id="timeline-title">Timeline</h3>
    <ol class="timeline" aria-label="Timeline, newest first"></ol>
  </section>
  <section aria-labelledby="packets-title">
    <h3 id="packets-title">Packets</h3>
    <div class="filters">
      <label>Namespace <select name="nsp"><option value="">All</option></select></label>
      <label>Direction
        <select name="direction">
          <option value="">Both</option><option value="in">In</option><option value="out">Out</option>
        </select>
      </label>
      <label>Event <input name="event" type="text" autocomplete="off" spellcheck="false"></label>
      <label>Search <input name="search" type="search" autocomplete="off" spellcheck="false"></label>
      <label class="check"><input name="heartbeats" type="checkbox"> Heartbeats</label>
    </div>
    <ol class="packets" aria-label="Packets, newest first"></ol>
    <pre class="payload" aria-label="Payload of the selected packet" tabindex="0"></pre>
  </section>
  <section aria-labelledby="outbox-title">
    <h3 id="outbox-title">Outbox</h3>
    <ol class="outbox-list" aria-label="Packets waiting to be sent"></ol>
  </section>
</div>
`;

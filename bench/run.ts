// `npm run bench`: every figure is a ratio against socket.io-client or the socket.io server,
// measured in this same run on this machine. Nothing here asserts; the size budgets are tests.
import { browserThroughputRows } from "./browser-throughput.ts";
import { measureBundle, typicalApp } from "./bundle-size.ts";
import { clientRows } from "./client-bench.ts";
import { lifecycleRows } from "./lifecycle-bench.ts";
import { REACT_PEERS, reactBindingEntry, reactHooksApp } from "./react-bundle.ts";
import { type BenchRow, printReport } from "./report.ts";
import { serverRows } from "./server-bench.ts";
import { vueBindingApp, vueSocketIoClientApp } from "./vue-app.ts";

async function sizeRows(): Promise<BenchRow[]> {
  const websocketOnly = '{ transports: ["websocket"] }';
  const [wireline, baseline, wirelineWs, baselineWs, wirelineReact] = await Promise.all([
    measureBundle(typicalApp("@wireline/sdk")),
    measureBundle(typicalApp("socket.io-client")),
    measureBundle(typicalApp("@wireline/sdk/websocket")),
    measureBundle(typicalApp("socket.io-client", websocketOnly)),
    measureBundle(reactHooksApp, REACT_PEERS),
  ]);
  const common = { unit: "B", baselineName: "socket.io-client", better: "lower" } as const;
  return [
    {
      name: "gzip size: io + on + emit",
      wireline: wireline.gzip,
      baseline: baseline.gzip,
      aim: 0.6,
      ...common,
    },
    {
      name: "gzip size: WebSocket-only app",
      wireline: wirelineWs.gzip,
      baseline: baselineWs.gzip,
      aim: 0.6,
      ...common,
    },
    {
      // With the hooks of @wireline/react (React itself left out), against the bare client.
      name: "gzip size: React app (@wireline/react + SDK)",
      wireline: wirelineReact.gzip,
      baseline: baseline.gzip,
      ...common,
    },
  ];
}

/** A Vue component with the plugin and every composable, against the same written on socket.io-client. */
async function vueSizeRow(): Promise<BenchRow> {
  const [wireline, baseline] = await Promise.all([
    measureBundle(vueBindingApp, ["vue"]),
    measureBundle(vueSocketIoClientApp, ["vue"]),
  ]);
  return {
    name: "gzip size: Vue app (@wireline/vue + SDK)",
    unit: "B",
    wireline: wireline.gzip,
    baseline: baseline.gzip,
    baselineName: "socket.io-client by hand",
    better: "lower",
  };
}

/**
 * Entries socket.io-client has no counterpart of, each bundled on its own. The baseline is
 * socket.io-client's typical app, measured once, for scale: what each costs next to the client
 * it would replace.
 */
async function entryAloneRows(): Promise<BenchRow[]> {
  const [react, vue, eventLog, panel, baseline] = await Promise.all([
    // Each binding with its framework and the SDK left out: what it adds on top of them.
    measureBundle(reactBindingEntry, [...REACT_PEERS, "@wireline/sdk"]),
    measureBundle('import * as binding from "@wireline/vue"; console.log(binding);', [
      "vue",
      "@wireline/sdk",
    ]),
    measureBundle(
      'import { attachEventLog } from "@wireline/sdk/devtools"; console.log(attachEventLog);',
    ),
    measureBundle('import "@wireline/sdk/devtools/panel";'),
    measureBundle(typicalApp("socket.io-client")),
  ]);
  const row = (name: string, wireline: number): BenchRow => ({
    name,
    unit: "B",
    wireline,
    baseline: baseline.gzip,
    baselineName: "socket.io-client io + on + emit",
    better: "lower",
  });
  return [
    row("gzip size: @wireline/react entry alone", react.gzip),
    row("gzip size: @wireline/vue entry alone", vue.gzip),
    row("gzip size: devtools event log entry", eventLog.gzip),
    row("gzip size: devtools panel entry (with the log)", panel.gzip),
  ];
}

const rows = [
  ...(await sizeRows()),
  await vueSizeRow(),
  ...(await entryAloneRows()),
  ...(await clientRows()),
  ...(await browserThroughputRows()),
  ...(await serverRows()),
  ...(await lifecycleRows()),
];
printReport(rows);

#!/usr/bin/env node
// wireline-mock-server: runs the mock Socket.IO server, optionally with a scenario module.
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { EnginePacket } from "@wireline/sdk/protocol";
import { MAX_TIMER_DELAY } from "@wireline/sdk/server-core";
import { demoScenario } from "./demo-scenario.ts";
import type { EngineSocket } from "./engine/engine-socket.ts";
import { answerNotFound } from "./http-routing.ts";
import { Server } from "./server.ts";

const USAGE = `Usage: wireline-mock-server [--port 3000] [--host localhost] [--scenario ./scenario.mjs]
                            [--ping-interval ms] [--ping-timeout ms] [--storm] [--storm-seed n] [--quiet]
A scenario module's default export receives the Server: export default (io) => io.on("connection", …)
--storm strikes random faults (drops, restarts, dead connections, refused handshakes…) until
stopped; --storm-seed replays the schedule of an earlier run.`;

function fail(message: string): never {
  console.error(`wireline-mock-server: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  // Past a timer's range, Node fires after 1 ms: a heartbeat every millisecond.
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMER_DELAY)
    fail(`--${name} needs a whole number of ms from 1 to ${MAX_TIMER_DELAY}, got "${value}"`);
  return ms;
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
const options = {
  port: { type: "string", default: "3000" },
  host: { type: "string", default: "localhost" },
  scenario: { type: "string" },
  "ping-interval": { type: "string" },
  "ping-timeout": { type: "string" },
  storm: { type: "boolean", default: false },
  "storm-seed": { type: "string" },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;
try {
  parsed = parseArgs({ options });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (values.port.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port needs a port number, got "${values.port}"`);

const stormSeedText = values["storm-seed"];
const stormSeed = stormSeedText === undefined ? undefined : Number(stormSeedText);
if (stormSeed !== undefined && !(Number.isInteger(stormSeed) && stormSeed >= 0))
  fail(`--storm-seed needs a whole number >= 0, got "${stormSeedText}"`);

const pingInterval = parseMs("ping-interval", values["ping-interval"]);
const pingTimeout = parseMs("ping-timeout", values["ping-timeout"]);
const io = new Server({
  cors: { origin: "*" },
  // The name it listens on reaches the fault endpoint too (localhost and IPs always do).
  faultEndpoint: { allowedHosts: [values.host] },
  ...(pingInterval ? { pingInterval } : {}),
  ...(pingTimeout ? { pingTimeout } : {}),
});

if (values.scenario) {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(values.scenario)).href)) as typeof module;
  } catch (error) {
    fail(`cannot load the scenario ${values.scenario}: ${(error as Error).message}`);
  }
  if (typeof module.default !== "function")
    fail(`${values.scenario} must export a default function (io) => …`);
  try {
    await (module.default as (server: Server) => unknown)(io);
  } catch (error) {
    fail(`the scenario ${values.scenario} failed: ${(error as Error)?.stack ?? String(error)}`);
  }
} else {
  demoScenario(io);
}

if (!values.quiet) {
  const show = (data: unknown) =>
    typeof data === "string"
      ? data
      : `<binary ${(data as { byteLength?: number }).byteLength ?? "?"} bytes>`;
  io.engine.on("connection", (conn: EngineSocket) => {
    console.log(`[${new Date().toISOString()}] connection ${conn.id} (${conn.transport.name})`);
    conn.on("data", (data: unknown) => console.log(`  ← ${conn.id} ${show(data)}`));
    conn.on("packetCreate", (packet: EnginePacket) => {
      if (packet.type === "message") console.log(`  → ${conn.id} ${show(packet.data)}`);
    });
    conn.on("upgrade", () =>
      console.log(`[${new Date().toISOString()}] upgraded ${conn.id} to websocket`),
    );
    conn.on("close", (reason: string) =>
      console.log(`[${new Date().toISOString()}] closed ${conn.id}: ${reason}`),
    );
  });
}

const { createServer } = await import("node:http");
const httpServer = createServer(answerNotFound);
io.attach(httpServer);
httpServer.on("error", (error) =>
  fail(`cannot listen on ${values.host}:${port}: ${error.message}`),
);
httpServer.listen(port, values.host, () => {
  const { port: actualPort } = httpServer.address() as AddressInfo;
  console.log(
    `Wireline mock server listening on http://${values.host}:${actualPort}${io.engine.path}`,
  );
  if (values.storm || stormSeed !== undefined) {
    const storm = io.faults.storm({
      seed: stormSeed,
      onFault: (fault) => {
        if (!values.quiet) console.log(`[${new Date().toISOString()}] storm: ${fault}`);
      },
    });
    console.log(`Fault storm on, seed ${storm.seed} (replay it with --storm-seed ${storm.seed})`);
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void io.close().then(() => process.exit(0)));
}

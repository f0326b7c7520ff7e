import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A server process started by {@link spawnServer}. */
export interface ServerProcess {
  port: number;
  /** Heap used right after start, after a full GC. */
  initialHeap: number;
  /** Sends a command and resolves with the first reply of type `replyType`. */
  ask(
    command: { type: string; count?: number },
    replyType: string,
  ): Promise<Record<string, number>>;
  stop(): void;
}

function nextMessage(child: ChildProcess, type: string): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & Record<string, number>) => {
      if (message.type !== type) return;
      child.off("message", listener);
      resolve(message);
    };
    child.on("message", listener);
  });
}

/** Starts `bench/server-process.ts` with a server of the given kind, from sources, GC exposed. */
export async function spawnServer(kind: "mock-server" | "socket.io"): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL("./server-process.ts", import.meta.url)), [kind], {
    execArgv: ["--expose-gc", "--conditions=wireline-source", "--import", "tsx"],
  });
  const ready = await nextMessage(child, "ready");
  return {
    port: ready.port!,
    initialHeap: ready.heap!,
    ask: (command, replyType) => {
      const reply = nextMessage(child, replyType);
      child.send(command);
      return reply;
    },
    stop: () => child.kill(),
  };
}

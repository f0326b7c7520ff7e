import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Server } from "../src/index.ts";
import { listeningPort, referenceServer } from "./helpers.ts";

// Socket.IO v5 rules from the protocol specification, checked frame by frame over a raw
// WebSocket against the reference setup (echo, ack echo, auth on / and /custom).

let io: Server;
let wsBase: string;

beforeAll(async () => {
  io = referenceServer();
  const port = await listeningPort(io);
  wsBase = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
});

afterAll(() => io.close());

/** A raw WebSocket that hands out frames in order, answering nothing unless told to. */
class Peer {
  readonly ws = new WebSocket(wsBase);
  readonly closed = new Promise<number>((resolve) => this.ws.once("close", resolve));
  private readonly frames: Array<string | Buffer> = [];
  private waiting: ((frame: string | Buffer) => void) | undefined;

  constructor(private readonly skipPings = true) {
    this.ws.on("message", (data, isBinary) => {
      const frame = isBinary ? (data as Buffer) : data.toString();
      if (this.skipPings && frame === "2") {
        this.ws.send("3");
        return;
      }
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(frame);
      else this.frames.push(frame);
    });
  }

  next(): Promise<string | Buffer> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  send(frame: string | Uint8Array): void {
    this.ws.send(frame);
  }

  /** Opens the engine session and joins the main namespace; returns after the "auth" event. */
  async join(): Promise<this> {
    await this.next(); // Engine.IO open
    this.send("40");
    await this.next(); // CONNECT reply
    await this.next(); // "auth" event
    return this;
  }
}

describe("Socket.IO v5 over a raw WebSocket", () => {
  it("answers CONNECT to / with only a sid, then the handshake auth (empty without payload)", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send("40");
    const reply = String(await peer.next());
    expect(reply.startsWith("40")).toBe(true);
    expect(Object.keys(JSON.parse(reply.slice(2)))).toEqual(["sid"]);
    expect(await peer.next()).toBe('42["auth",{}]');
    peer.ws.close();
  });

  it("passes the CONNECT payload as handshake.auth", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send('40{"token":"123"}');
    await peer.next();
    expect(await peer.next()).toBe('42["auth",{"token":"123"}]');
    peer.ws.close();
  });

  it("connects to a custom namespace, with and without payload", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send('40/custom,{"token":"abc"}');
    const reply = String(await peer.next());
    expect(reply.startsWith("40/custom,")).toBe(true);
    expect(Object.keys(JSON.parse(reply.slice("40/custom,".length)))).toEqual(["sid"]);
    expect(await peer.next()).toBe('42/custom,["auth",{"token":"abc"}]');
    peer.ws.close();
  });

  it("refuses an unknown namespace with CONNECT_ERROR 'Invalid namespace'", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send("40/random");
    expect(await peer.next()).toBe('44/random,{"message":"Invalid namespace"}');
    peer.ws.close();
  });

  it("closes the connection on an invalid CONNECT", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send("4abc");
    await peer.closed;
  });

  it("closes the connection on an event before any CONNECT", async () => {
    const peer = new Peer();
    await peer.next();
    peer.send('42["message","x"]');
    await peer.closed;
  });

  it("closes a connection that never sends CONNECT (connectTimeout)", async () => {
    const peer = new Peer();
    await peer.closed;
  });

  it("keeps the connection after a DISCONNECT from /: pings keep coming", async () => {
    const peer = await new Peer(false).join();
    peer.send("41");
    expect(await peer.next()).toBe("2");
    peer.ws.close();
  });

  it("leaves /custom on DISCONNECT and still serves /", async () => {
    const peer = await new Peer().join();
    peer.send("40/custom");
    await peer.next();
    await peer.next();
    peer.send("41/custom");
    peer.send('42["message","message to main namespace"]');
    expect(await peer.next()).toBe('42["message-back","message to main namespace"]');
    peer.ws.close();
  });

  it("echoes a plain-text event exactly", async () => {
    const peer = await new Peer().join();
    peer.send('42["message",1,"2",{"3":[true]}]');
    expect(await peer.next()).toBe('42["message-back",1,"2",{"3":[true]}]');
    peer.ws.close();
  });

  it("echoes binary attachments as a BINARY_EVENT header and raw frames", async () => {
    const peer = await new Peer().join();
    peer.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    peer.send(Uint8Array.from([1, 2, 3]));
    peer.send(Uint8Array.from([4, 5, 6]));
    expect(await peer.next()).toBe(
      '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    );
    expect([...((await peer.next()) as Buffer)]).toEqual([1, 2, 3]);
    expect([...((await peer.next()) as Buffer)]).toEqual([4, 5, 6]);
    peer.ws.close();
  });

  it("acknowledges with the event's id", async () => {
    const peer = await new Peer().join();
    peer.send('42456["message-with-ack",1,"2",{"3":[false]}]');
    expect(await peer.next()).toBe('43456[1,"2",{"3":[false]}]');
    peer.ws.close();
  });

  it("acknowledges binary with a BINARY_ACK and its attachments", async () => {
    const peer = await new Peer().join();
    peer.send(
      '452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    );
    peer.send(Uint8Array.from([1, 2, 3]));
    peer.send(Uint8Array.from([4, 5, 6]));
    expect(await peer.next()).toBe(
      '462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
    );
    expect([...((await peer.next()) as Buffer)]).toEqual([1, 2, 3]);
    expect([...((await peer.next()) as Buffer)]).toEqual([4, 5, 6]);
    peer.ws.close();
  });

  it.each([
    ["an unknown packet type", "4abc"],
    ["a payload that is not an array", "42{}"],
    ["an ack id that is not a number", '42abc["message-with-ack",1]'],
    ["a second CONNECT to a namespace it joined", "40"],
    ["an event for a namespace it has not joined", '42/custom,["message","x"]'],
    ["an ACK for a namespace it has not joined", "43/custom,1[]"],
  ])("closes the connection on %s", async (_name, frame) => {
    const peer = await new Peer().join();
    peer.send(frame);
    await peer.closed;
  });
});

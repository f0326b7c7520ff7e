// The events of the mock server's demo scenario (mock-server/src/demo-scenario.ts).

/** What the demo server sends. */
export interface DemoServerEvents {
  /** A chat line, relayed to every connected page. */
  chat: (text: string) => void;
  /** The `auth` the socket connected with, sent on every connection (also on "/custom"). */
  auth: (auth: unknown) => void;
}

/** What pages send to the demo server. */
export interface DemoClientEvents {
  chat: (text: string) => void;
  "message-with-ack": (text: string, ack: (reply: string) => void) => void;
}

// The events of the mock server's demo scenario, as the React demo sees them.

/** What the demo server sends. */
export interface DemoServerEvents {
  /** A chat line relayed to every client. */
  chat: (text: string) => void;
  /** The handshake's auth, sent to each socket as it joins its namespace. */
  auth: (auth: unknown) => void;
}

/** What the demo app sends. */
export interface DemoClientEvents {
  /** Relayed by the server to everyone, the sender included. */
  chat: (text: string) => void;
  /** Acknowledged by the server with the same text. */
  "message-with-ack": (text: string, ack: (reply: string) => void) => void;
}

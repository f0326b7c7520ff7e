// The clients the mocked server is proven against: @wireline/sdk and socket.io-client, both
// driven through the API they share.

/** The part of a client socket the tests use; @wireline/sdk and socket.io-client both have it. */
export interface ClientSocket {
  readonly id: string | undefined;
  readonly connected: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: listeners take whatever each event carries.
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  off(event: string, listener?: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  disconnect(): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: the Manager's events differ in typing only.
  readonly io: { on(event: "ping", listener: (...args: any[]) => void): unknown };
}

export type Transport = "polling" | "websocket";

/** `io(url, options)` of one client library. */
export type Connect = (url: string, options: Record<string, unknown>) => ClientSocket;

/** One client library with one transport list. */
export interface ClientVariant {
  name: string;
  connect: Connect;
  transports: Transport[];
}

/** The transport a client ends on: the last it lists (polling upgrades to WebSocket). */
export function finalTransport(variant: ClientVariant): Transport {
  return variant.transports[variant.transports.length - 1]!;
}

/** Every client with every transport list it supports where the tests run. */
export function variantsOf(
  clients: Array<{ name: string; connect: Connect; transports: Transport[][] }>,
): ClientVariant[] {
  return clients.flatMap((client) =>
    client.transports.map((transports) => ({
      name: `${client.name} over ${transports.join("→")}`,
      connect: client.connect,
      transports,
    })),
  );
}

// Type-level helpers of the typed Socket API: acknowledgements as the last argument, made
// error-first by `timeout()`, and resolved by `emitWithAck`.

/** The last element of a tuple. */
export type Last<T extends unknown[]> = T extends [...unknown[], infer L] ? L : unknown;

/** A tuple without its last element. */
export type AllButLast<T extends unknown[]> = T extends [...infer H, unknown] ? H : T;

/** An emit's arguments without the acknowledgement callback that may end them. */
export type WithoutAck<T extends unknown[]> = T extends [...infer Head, infer L]
  ? L extends (...args: never[]) => unknown
    ? Head
    : T
  : T;

/** The parameters of `E[K]` when it is a listener. */
export type EventParams<E, K extends keyof E> = E[K] extends (...args: infer P) => void ? P : never;

/** `(err: Error, ...reply)` in place of every callback argument: what `timeout()` does to acks. */
export type PrependTimeoutError<T extends unknown[]> = {
  [K in keyof T]: T[K] extends (...args: infer P) => infer R ? (err: Error, ...args: P) => R : T[K];
};

/**
 * The events map as seen after `timeout(ms)`: every acknowledgement callback receives an
 * `Error` (on timeout) or `null` first.
 *
 * @example
 * // { save: (doc: Doc, ack: (id: string) => void) => void } becomes
 * // { save: (doc: Doc, ack: (err: Error, id: string) => void) => void }
 */
export type DecorateAcknowledgements<E> = {
  [K in keyof E]: E[K] extends (...args: infer P) => infer R
    ? (...args: PrependTimeoutError<P>) => R
    : E[K];
};

/**
 * What `emitWithAck` resolves with for an ack callback `F`: its first reply argument, skipping
 * the error that `timeout()` put first (socket.io's types resolve to that `Error` instead).
 * `any` when the ack is not typed (an untyped socket), as in socket.io-client.
 */
export type AckReply<F> = unknown extends F
  ? // biome-ignore lint/suspicious/noExplicitAny: an untyped socket's reply, as socket.io-client's.
    any
  : F extends (...args: infer P) => void
    ? P extends [Error, infer R, ...unknown[]]
      ? R
      : P extends [Error]
        ? undefined
        : P extends [infer R, ...unknown[]]
          ? R
          : undefined
    : unknown;

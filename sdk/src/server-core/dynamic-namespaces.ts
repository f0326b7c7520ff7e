import { type NamespaceMatcher, namespaceAllowed } from "./namespace-matcher.ts";

/** The connection events a dynamic parent hands on to each namespace it makes. */
const CONNECTION_EVENTS = ["connect", "connection"] as const;

/**
 * What a dynamic parent (`io.of(/regex/)`, `io.of(fn)`) and the namespaces it makes have in
 * common on both mock servers: the middlewares they run and the emitter of their connection
 * events (Node's `EventEmitter` or the SDK's `Emitter`).
 */
export interface DynamicNamespace<Child> {
  /** Made by `of(matcher)`: it has no sockets, its `children` do. */
  readonly isParent: boolean;
  /** The namespaces this parent made; empty on the others. */
  readonly children: Set<Child>;
  /** Its connection middlewares, in the order they run. */
  readonly middlewares: unknown[];
  // Method syntax (bivariant): each emitter types its listeners its own way.
  listeners(event: "connect" | "connection"): unknown[];
  on(event: "connect" | "connection", listener: never): unknown;
}

/** How {@link DynamicNamespaces.match} reads and makes the server's namespaces. */
export interface NamespaceRegistry<Namespace> {
  /** The namespace `name`, if it exists. */
  existing(name: string): Namespace | undefined;
  /**
   * Creates namespace `name` (announcing it, as the server does for `of(name)`). A registry may
   * adopt it into `parent` itself, before announcing it, as socket.io's `new_namespace`
   * listeners see it; {@link DynamicNamespaces.match} adopts it after otherwise.
   */
  create(name: string, parent: Namespace): Namespace;
}

/**
 * The dynamic namespaces of a server, as socket.io's `server.of(matcher)`: each matcher with the
 * parent namespace it returned. A name a matcher allows becomes a namespace of its own, which
 * the parent adopts: it gets the parent's middlewares and connection listeners so far, and the
 * parent's broadcasts reach it.
 */
export class DynamicNamespaces<Namespace extends DynamicNamespace<Namespace>> {
  readonly #matchers: Array<{ matcher: NamespaceMatcher; parent: Namespace }> = [];

  /** Declares `matcher`, whose namespaces `parent` adopts. */
  add(matcher: NamespaceMatcher, parent: Namespace): void {
    this.#matchers.push({ matcher, parent });
  }

  /**
   * The parent of the first RegExp matcher `name` matches, which adopts it when the server's
   * `of(name)` makes it, as socket.io's does: not only a client's CONNECT makes a dynamic
   * namespace. (A function matcher is asked for a client's CONNECT only, as there.)
   */
  regExpParent(name: string): Namespace | undefined {
    for (const { matcher, parent } of this.#matchers) {
      if (matcher instanceof RegExp && matcher.test(name)) return parent;
    }
    return undefined;
  }

  /** Forgets every matcher (a server reset). */
  clear(): void {
    this.#matchers.length = 0;
  }

  /**
   * The namespace a client may connect to as `name`: made by the first matcher that allows it,
   * or undefined ("Invalid namespace"). Matchers may answer later: one made meanwhile (by another
   * client, or by `of(name)`) is returned as it is, never adopted twice; undefined when the
   * matcher was cleared meanwhile.
   */
  async match(
    name: string,
    auth: Record<string, unknown>,
    registry: NamespaceRegistry<Namespace>,
  ): Promise<Namespace | undefined> {
    for (const entry of this.#matchers) {
      const { matcher, parent } = entry;
      const allowed = await namespaceAllowed(matcher, name, auth);
      // Forgotten while it decided (a reset): what it allows must not outlive it.
      if (!this.#matchers.includes(entry)) return undefined;
      const existing = registry.existing(name);
      if (existing) return existing;
      if (!allowed) continue;
      const child = registry.create(name, parent);
      if (!parent.children.has(child)) adoptChild(parent, child);
      return child;
    }
    return undefined;
  }
}

/** `parent` takes `child` in: its middlewares and connection listeners so far, and its broadcasts. */
export function adoptChild<Namespace extends DynamicNamespace<Namespace>>(
  parent: Namespace,
  child: Namespace,
): void {
  parent.children.add(child);
  child.middlewares.push(...parent.middlewares);
  for (const event of CONNECTION_EVENTS) {
    for (const listener of parent.listeners(event)) child.on(event, listener as never);
  }
}

/**
 * Broadcasts from a dynamic parent: it has no sockets, so each namespace it made broadcasts to
 * its own, through `broadcastFrom(child)`. Returns false, doing nothing, for any other namespace
 * and for a broadcast with an ack (`args` ending in a function): socket.io's parent answers that
 * one at once with no responses, which the caller's ordinary path does too.
 */
export function broadcastThroughChildren<Child>(
  namespace: { readonly isParent: boolean; readonly children: ReadonlySet<Child> },
  args: readonly unknown[],
  broadcastFrom: (child: Child) => void,
): boolean {
  if (!namespace.isParent || typeof args[args.length - 1] === "function") return false;
  for (const child of namespace.children) broadcastFrom(child);
  return true;
}

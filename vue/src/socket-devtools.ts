import type { BaseManager, Socket } from "@wireline/sdk";
import type { Redact } from "@wireline/sdk/devtools";
import type { WirelineDevtoolsElement } from "@wireline/sdk/devtools/panel";
import {
  defineComponent,
  h,
  onBeforeUnmount,
  onMounted,
  type PropType,
  ref,
  type VNode,
  watch,
} from "vue";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

const props = {
  /** The connection to show: a socket (its whole connection is shown) or a Manager. */
  socket: { type: Object as PropType<Socket | BaseManager>, required: true },
  /** "light" or "dark". Default: the system's (`prefers-color-scheme`). */
  theme: { type: String as PropType<"light" | "dark">, default: undefined },
  /** Whether the panel starts open. Default false (only the floating button shows). */
  initialOpen: { type: Boolean, default: false },
  /** Most log entries kept. Default 1000. */
  capacity: { type: Number, default: undefined },
  /** Rewrites payloads before they are logged, e.g. to hide tokens. Default: kept as sent. */
  redact: { type: Function as PropType<Redact>, default: undefined },
} as const;

/** Loads the panel (and registers `<wireline-devtools>`) on first use, as a separate chunk. */
const loadPanel = () => import("@wireline/sdk/devtools/panel");

type Props = {
  socket: Socket | BaseManager;
  theme: "light" | "dark" | undefined;
  initialOpen: boolean;
  capacity: number | undefined;
  redact: Redact | undefined;
};

function setupDevtools(input: Props) {
  const host = ref<HTMLElement | null>(null);
  let panel: WirelineDevtoolsElement | undefined;
  let generation = 0;
  // The latest redact prop, through a stable function: an inline `:redact` is a new function
  // on every parent render, and attaching again would start an empty log.
  const redact: Redact = (payload, context) =>
    input.redact ? input.redact(payload, context) : payload;
  const attach = async () => {
    const current = ++generation;
    panel?.detach();
    const { defineWirelineDevtools } = await loadPanel();
    defineWirelineDevtools();
    if (current !== generation || !host.value) return;
    panel = host.value as WirelineDevtoolsElement;
    panel.attach(input.socket, {
      ...(input.capacity !== undefined && { capacity: input.capacity }),
      // Only when given: a log with a redact keeps no raw text of frames it cannot decode.
      ...(input.redact && { redact }),
    });
    // An attribute, not show(): opening on mount must not steal the page's focus.
    if (input.initialOpen) panel.setAttribute("open", "");
  };
  // The hook and the watcher return attach()'s promise: what attaching refuses (no socket, a
  // capacity of 0) reaches the app's errorHandler and onErrorCaptured, not an unhandled rejection.
  onMounted(() => {
    // A redact given or taken away starts a new log: one made without must not go on logging
    // what the app now hides. A new function for the same prop keeps the log.
    watch([() => input.socket, () => input.capacity, () => input.redact !== undefined], attach);
    return attach();
  });
  onBeforeUnmount(() => {
    generation++;
    panel?.detach();
  });
  return () => h("wireline-devtools", { ref: host, theme: input.theme });
}

const renderNothing = () => () => null;

// Decided once, at import. Development unless a bundler set NODE_ENV to "production"; a page
// without a bundler (native ESM, an import map) has no `process`, and is development too.
// Inline, not behind a function: a bundler cannot see through a call, but here the replaced
// `if ("production" !== "production")` is dropped, the try left empty goes with its catch, and
// with them the setup and its lazily loaded panel. The warnings do the same (scope-end.ts).
let setupForThisBuild: (input: Props) => () => VNode | null = renderNothing;
try {
  if (process.env.NODE_ENV !== "production") setupForThisBuild = setupDevtools;
} catch {
  setupForThisBuild = setupDevtools;
}

/**
 * The Wireline devtools panel for a connection: a floating button that opens the live status,
 * timeline, packets, payloads and outbox (see `@wireline/sdk/devtools/panel`). Renders nothing
 * in production builds: `process.env.NODE_ENV`, which Vite, webpack and esbuild replace in
 * dependencies too, lets the bundler drop the setup and its lazily loaded panel entirely. On a
 * page without a bundler (no `process`), it renders the panel, as in development.
 * For devtools in production, use `<wireline-devtools>` from `@wireline/sdk/devtools/panel`.
 *
 * @example
 * <SocketDevtools :socket="socket" theme="dark" />
 */
export const SocketDevtools = defineComponent({
  name: "SocketDevtools",
  props,
  setup: setupForThisBuild,
});

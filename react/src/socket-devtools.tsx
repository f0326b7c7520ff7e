import type { BaseManager, Socket } from "@wireline/sdk";
import type { Redact } from "@wireline/sdk/devtools";
import type { WirelineDevtoolsElement } from "@wireline/sdk/devtools/panel";
import {
  createElement,
  type ReactElement,
  useEffect,
  useInsertionEffect,
  useRef,
  useState,
} from "react";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/** Props of {@link SocketDevtools}. */
export interface SocketDevtoolsProps {
  /**
   * The connection to show: a socket (its whole connection is shown) or a Manager. Anything else,
   * like a `capacity` that is no positive integer, throws to the nearest error boundary.
   */
  socket: Socket | BaseManager;
  /** "light" or "dark". Default: the system's (`prefers-color-scheme`). */
  theme?: "light" | "dark";
  /** Whether the panel starts open. Read when it mounts. Default false (only the floating button shows). */
  initialOpen?: boolean;
  /**
   * Most log entries kept. Read when the panel attaches to `socket`: changing it later keeps the
   * log (and its history) until `socket` changes. Default 1000.
   */
  capacity?: number;
  /**
   * Rewrites payloads before they are logged, e.g. to hide tokens (and hides the raw text of frames
   * that cannot be decoded, see `attachEventLog`). The latest one is used, so an inline function is
   * fine; giving or removing it starts a new log. Default: none, payloads are kept as sent.
   */
  redact?: Redact;
}

/** Loads the panel (and registers `<wireline-devtools>`) on first use, as a separate chunk. */
const loadPanel = () => import("@wireline/sdk/devtools/panel");

function DevelopmentSocketDevtools(props: SocketDevtoolsProps): ReactElement {
  const { socket, theme, initialOpen = false, capacity, redact } = props;
  const ref = useRef<HTMLElement | null>(null);
  // Read when the panel attaches: only a new connection starts a new log (and its history).
  const attachWith = useRef({ initialOpen, capacity, redact });
  useInsertionEffect(() => {
    // Read by the log at each payload, so a new (inline) redact needs no new log.
    attachWith.current.redact = redact;
    attachWith.current.capacity = capacity;
  });
  const opened = useRef(false);
  // Rethrows what attaching refused (no socket, a capacity of 0) while rendering, where an error
  // boundary gets it, rather than as an unhandled rejection.
  const [, fail] = useState<unknown>();
  // A log made without redact keeps raw payloads: giving one (or taking it away) needs a new log.
  const redacting = redact !== undefined;
  useEffect(() => {
    let cancelled = false;
    let panel: WirelineDevtoolsElement | undefined;
    void loadPanel()
      .then(({ defineWirelineDevtools }) => {
        defineWirelineDevtools();
        if (cancelled || !ref.current) return;
        panel = ref.current as WirelineDevtoolsElement;
        const settings = attachWith.current;
        panel.attach(socket, {
          ...(settings.capacity !== undefined && { capacity: settings.capacity }),
          // Only when given: the SDK takes any redact as "hide what cannot be decoded".
          ...(redacting && {
            redact: (payload, context) =>
              settings.redact ? settings.redact(payload, context) : payload,
          }),
        });
        // An attribute, not show(): opening on mount must not steal the page's focus.
        if (settings.initialOpen && !opened.current) panel.setAttribute("open", "");
        opened.current = true;
      })
      .catch((error: unknown) => {
        if (!cancelled)
          fail(() => {
            throw error;
          });
      });
    return () => {
      cancelled = true;
      panel?.detach();
    };
  }, [socket, redacting]);
  return createElement("wireline-devtools", { ref, theme });
}

const renderNothing = () => null;

// Decided once, at import. Development unless a bundler set NODE_ENV to "production"; a page
// without a bundler (native ESM, an import map) has no `process`, and is development too.
// Inline, not behind a function: a bundler cannot see through a call, but here the replaced
// `if ("production" !== "production")` is dropped, the try left empty goes with its catch, and
// with them the component and its lazily loaded panel.
let componentForThisBuild: (props: SocketDevtoolsProps) => ReactElement | null = renderNothing;
try {
  if (process.env.NODE_ENV !== "production") componentForThisBuild = DevelopmentSocketDevtools;
} catch {
  componentForThisBuild = DevelopmentSocketDevtools;
}

/**
 * The Wireline devtools panel for a connection: a floating button that opens the live status,
 * timeline, packets, payloads and outbox (see `@wireline/sdk/devtools/panel`). Renders nothing
 * in production builds: `process.env.NODE_ENV`, which Vite, webpack and esbuild replace in
 * dependencies too, lets the bundler drop the component and its lazily loaded panel entirely. On
 * a page without a bundler (no `process`), it renders the panel, as in development.
 * For devtools in production, use `<wireline-devtools>` from `@wireline/sdk/devtools/panel`.
 *
 * @example
 * function App() {
 *   const socket = useSocket();
 *   return <SocketDevtools socket={socket} theme="dark" />;
 * }
 */
export const SocketDevtools: (props: SocketDevtoolsProps) => ReactElement | null =
  componentForThisBuild;

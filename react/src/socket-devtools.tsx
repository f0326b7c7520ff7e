import type { BaseManager, Socket } from "@wireline/sdk";
import type { Redact } from "@wireline/sdk/devtools";
import type { WirelineDevtoolsElement } from "@wireline/sdk/devtools/panel";
import { createElement, type ReactElement, useEffect, useRef } from "react";

// Bundlers replace `process.env.NODE_ENV`; declared here so the package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };

/** Props of {@link SocketDevtools}. */
export interface SocketDevtoolsProps {
  /** The connection to show: a socket (its whole connection is shown) or a Manager. */
  socket: Socket | BaseManager;
  /** "light" or "dark". Default: the system's (`prefers-color-scheme`). */
  theme?: "light" | "dark";
  /** Whether the panel starts open. Default false (only the floating button shows). */
  initialOpen?: boolean;
  /** Most log entries kept. Default 1000. */
  capacity?: number;
  /** Rewrites payloads before they are logged, e.g. to hide tokens. Default: kept as sent. */
  redact?: Redact;
}

/** Loads the panel (and registers `<wireline-devtools>`) on first use, as a separate chunk. */
const loadPanel = () => import("@wireline/sdk/devtools/panel");

function DevelopmentSocketDevtools(props: SocketDevtoolsProps): ReactElement {
  const { socket, theme, initialOpen = false, capacity, redact } = props;
  const ref = useRef<HTMLElement | null>(null);
  useEffect(() => {
    let cancelled = false;
    let panel: WirelineDevtoolsElement | undefined;
    void loadPanel().then(({ defineWirelineDevtools }) => {
      defineWirelineDevtools();
      if (cancelled || !ref.current) return;
      panel = ref.current as WirelineDevtoolsElement;
      panel.attach(socket, {
        ...(capacity !== undefined && { capacity }),
        ...(redact !== undefined && { redact }),
      });
      // An attribute, not show(): opening on mount must not steal the page's focus.
      if (initialOpen) panel.setAttribute("open", "");
    });
    return () => {
      cancelled = true;
      panel?.detach();
    };
  }, [socket, capacity, redact, initialOpen]);
  return createElement("wireline-devtools", { ref, theme });
}

/**
 * The Wireline devtools panel for a connection: a floating button that opens the live status,
 * timeline, packets, payloads and outbox (see `@wireline/sdk/devtools/panel`). Renders nothing
 * in production builds: `process.env.NODE_ENV`, which Vite, webpack and esbuild replace in
 * dependencies too, lets the bundler drop the component and its lazily loaded panel entirely.
 * For devtools in production, use `<wireline-devtools>` from `@wireline/sdk/devtools/panel`.
 *
 * @example
 * function App() {
 *   const socket = useSocket();
 *   return <SocketDevtools socket={socket} theme="dark" />;
 * }
 */
export const SocketDevtools: (props: SocketDevtoolsProps) => ReactElement | null =
  process.env.NODE_ENV === "production" ? () => null : DevelopmentSocketDevtools;

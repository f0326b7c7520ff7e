import { WirelineDevtoolsElement } from "./wireline-devtools-element.ts";

/** Whether the class itself is registered: a registry takes each class under one name only. */
let classRegistered = false;

/**
 * Registers `<wireline-devtools>` (or `tagName`) once. Safe to call again, and during
 * server-side rendering, where there is no custom element registry: it then does nothing.
 * Returns the element class.
 *
 * @example
 * defineWirelineDevtools();
 * const panel = document.createElement("wireline-devtools");
 * panel.setAttribute("theme", "dark");
 * document.body.append(panel);
 */
export function defineWirelineDevtools(
  tagName = "wireline-devtools",
): typeof WirelineDevtoolsElement {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (!registry || registry.get(tagName)) return WirelineDevtoolsElement;
  registry.define(
    tagName,
    classRegistered ? class extends WirelineDevtoolsElement {} : WirelineDevtoolsElement,
  );
  classRegistered = true;
  return WirelineDevtoolsElement;
}

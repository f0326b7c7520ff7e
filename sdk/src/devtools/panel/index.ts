// `@wireline/sdk/devtools/panel`: the <wireline-devtools> element. Importing this entry
// registers the element (its one side effect); nothing happens where there is no registry.
import { defineWirelineDevtools } from "./define-wireline-devtools.ts";

export { defineWirelineDevtools } from "./define-wireline-devtools.ts";
export { WirelineDevtoolsElement } from "./wireline-devtools-element.ts";

defineWirelineDevtools();

declare global {
  interface HTMLElementTagNameMap {
    "wireline-devtools": import("./wireline-devtools-element.ts").WirelineDevtoolsElement;
  }
}

// Measures what an app pays to import a module: bundled, minified and gzipped the way an app
// bundler would, with workspace packages taken from their sources.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface BundleSize {
  /** Minified bytes. */
  minified: number;
  /** Minified, then gzipped (level 9) bytes. */
  gzip: number;
  /** Source files that ended up in the bundle, relative to the repository root. */
  inputs: string[];
}

/**
 * Bundles `source` (an app's entry module, TypeScript allowed) for browsers and measures it.
 * Dependencies listed in `external` are left out, e.g. a framework a binding peers on.
 */
export async function measureBundle(source: string, external: string[] = []): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "ts", sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["wireline-source"],
    external,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/**
 * A typical small app: connect, listen, emit. `from` is the package to import `io` from;
 * `imports` are extra named imports the `options` expression uses.
 */
export function typicalApp(from: string, options = "{}", imports: string[] = []): string {
  return `import { io${imports.map((name) => `, ${name}`).join("")} } from "${from}";
const socket = io("https://example.com", ${options});
socket.on("message", (text) => console.log(text));
socket.emit("hello", "world", (reply) => console.log(reply));`;
}

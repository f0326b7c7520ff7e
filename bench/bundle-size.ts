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
  /** Source files with code in the bundle (not those tree-shaken away), relative to the repository root. */
  inputs: string[];
}

/** How {@link bundleApp} builds: what to leave out and what to replace, as an app bundler would. */
export interface BundleOptions {
  /** Dependencies left out, e.g. a framework a binding peers on. */
  external?: string[];
  /** Expressions replaced at build time, e.g. `{ "process.env.NODE_ENV": '"production"' }`. */
  define?: Record<string, string>;
}

/**
 * Bundles `source` (an app's entry module, TypeScript allowed) for browsers, minified, with
 * workspace packages taken from their sources. Returns the code and the files it holds.
 */
export async function bundleApp(
  source: string,
  options: BundleOptions = {},
): Promise<{ code: Uint8Array; text: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "ts", sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["wireline-source"],
    external: options.external ?? [],
    define: options.define ?? {},
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  const contributions = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  return {
    code: output?.contents ?? new Uint8Array(),
    text: output?.text ?? "",
    inputs: Object.keys(contributions).filter((input) => contributions[input]!.bytesInOutput > 0),
  };
}

/**
 * Bundles `source` as {@link bundleApp} does and measures it. Dependencies listed in
 * `external` are left out, e.g. a framework a binding peers on.
 */
export async function measureBundle(source: string, external: string[] = []): Promise<BundleSize> {
  const { code, inputs } = await bundleApp(source, { external });
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs,
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

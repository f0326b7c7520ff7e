const env = globalThis as { process?: { env?: { NODE_ENV?: string } } };

/** Warns in development builds; silent when the bundler set NODE_ENV to "production". */
export function warn(message: string): void {
  if (env.process?.env?.NODE_ENV === "production") return;
  console.warn(`[Wireline] ${message}`);
}

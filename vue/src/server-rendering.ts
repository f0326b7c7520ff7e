import { type App, hasInjectionContext, inject, ssrContextKey } from "vue";

/**
 * Whether Vue is rendering on the server (`renderToString`, Nuxt): `vue/server-renderer`
 * provides its SSR context to the app. Outside any component or app context, a missing
 * `window` means a server.
 */
export function isServerRendering(app?: App): boolean {
  if (app) return app.runWithContext(() => inject(ssrContextKey, null)) !== null;
  if (hasInjectionContext()) return inject(ssrContextKey, null) !== null;
  return typeof window === "undefined";
}

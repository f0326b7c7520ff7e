import { type App, getCurrentInstance, hasInjectionContext, inject, ssrContextKey } from "vue";

/**
 * Whether Vue is rendering on the server (`renderToString`, Nuxt): `vue/server-renderer`
 * provides its SSR context to the app being rendered. Outside any component or app context
 * (a plain `effectScope()`, a test in Node) nothing is being rendered: sockets connect there,
 * in Node as in a browser, as `io()` does.
 */
export function isServerRendering(app?: App): boolean {
  if (app) return app.runWithContext(() => inject(ssrContextKey, null)) !== null;
  return hasInjectionContext() && inject(ssrContextKey, null) !== null;
}

/**
 * Whether the calling component is being hydrated from server-rendered HTML and is not mounted
 * yet: hydration hands a component its existing DOM node before running its setup (also when
 * the setup awaits inside `<Suspense>`), while a client-side render creates the node after.
 */
export function isHydrating(): boolean {
  const instance = getCurrentInstance();
  return instance !== null && !instance.isMounted && instance.vnode.el != null;
}

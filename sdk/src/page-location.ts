/** The parts of the page's `location` the client reads. */
export interface PageLocation {
  href: string;
  origin: string;
  protocol: string;
}

/**
 * The page's location, or undefined outside a page (Node, a worker without one). Given `call`,
 * what needs the page when no URL was passed (e.g. "io()"), a missing location throws instead,
 * saying to pass the server's URL.
 */
export function pageLocation(call: string): PageLocation;
export function pageLocation(call?: string): PageLocation | undefined;
export function pageLocation(call?: string): PageLocation | undefined {
  const location = (globalThis as { location?: PageLocation }).location;
  if (!location && call !== undefined) {
    throw new Error(
      `Wireline: ${call} without a URL only works in a browser page; pass the server's URL.`,
    );
  }
  return location;
}

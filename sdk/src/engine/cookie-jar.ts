/**
 * The cookies a server set on one Engine.IO session's requests, sent back with the next ones,
 * as socket.io-client does in Node under `withCredentials` (a load balancer's sticky-session
 * cookie, socket.io's `io` cookie). Browsers keep cookies themselves: only Node's build of
 * `#node-transport` makes one.
 */
export interface CookieJar {
  /** The `cookie` request header for what is stored and unexpired; undefined when nothing is. */
  header(): string | undefined;
  /** Takes a response's `Set-Cookie` values; one already expired (`Max-Age=0`, a past `Expires`) deletes its cookie. */
  store(setCookies: readonly string[]): void;
}

/** A new, empty jar. */
export function createCookieJar(): CookieJar {
  /** Value and expiry (ms since the epoch; Infinity for a session cookie), by name. */
  const cookies = new Map<string, { value: string; expires: number }>();
  return {
    header() {
      const now = Date.now();
      const pairs: string[] = [];
      for (const [name, cookie] of cookies) {
        if (cookie.expires <= now) cookies.delete(name);
        else pairs.push(`${name}=${cookie.value}`);
      }
      return pairs.length > 0 ? pairs.join("; ") : undefined;
    },
    store(setCookies) {
      for (const setCookie of setCookies) {
        const [pair = "", ...attributes] = setCookie.split(";");
        const equals = pair.indexOf("=");
        const name = pair.slice(0, equals).trim();
        if (equals < 1 || name === "") continue; // RFC 6265 5.2: no name, no cookie
        let expires = Number.POSITIVE_INFINITY;
        let maxAge: number | undefined;
        for (const attribute of attributes) {
          const [key = "", value = ""] = attribute.split("=", 2).map((part) => part.trim());
          if (key.toLowerCase() === "max-age" && /^-?\d+$/.test(value)) maxAge = Number(value);
          else if (key.toLowerCase() === "expires") {
            const date = Date.parse(value);
            // An unreadable date must not turn a deletion into a cookie kept for good.
            expires = Number.isNaN(date) ? 0 : date;
          }
        }
        // Max-Age wins over Expires; zero or less expires the cookie at once.
        if (maxAge !== undefined) expires = Date.now() + maxAge * 1000;
        if (expires <= Date.now()) cookies.delete(name);
        else cookies.set(name, { value: pair.slice(equals + 1).trim(), expires });
      }
    },
  };
}

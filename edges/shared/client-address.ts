import type { Context } from "hono";
import { getConnInfo } from "hono/bun";

/** The caller's address as the socket saw it (no proxy headers are trusted); null when there is no socket. */
export function clientAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * The env for replaying this request in process (`app.request(url, init, sameCaller(c))`):
 * the replay's `clientAddress` is this request's, so limits per address hold through it.
 */
export function sameCaller(c: Context): { requestIP(): { address: string; family: string; port: number } | null } {
  const address = clientAddress(c);
  return { requestIP: () => (address === null ? null : { address, family: address.includes(":") ? "IPv6" : "IPv4", port: 0 }) };
}

import { hc } from "hono/client";
import type { Config } from "../config/index.ts";
import type { OpsRoutes } from "../edges/internal/ops-routes.ts";

/** A reply of Hono's typed client: its JSON is the route's own `c.json(...)` type. */
type Reply = { ok: boolean; status: number; json(): Promise<unknown> };
type SuccessOf<R extends Reply> = Awaited<ReturnType<R["json"]>>;

/**
 * The CLI's way to a running node: the internal edge's `/internal/ops` routes through Hono's
 * typed client (`ops.api.brands.$get(...)`), authenticated by the service token. Paths,
 * parameters, bodies and replies are the route module's types, so the two cannot drift.
 */
export class OpsClient {
  readonly base: string;
  readonly api: ReturnType<typeof hc<OpsRoutes>>;

  constructor(config: Config, base?: string) {
    const host = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST;
    this.base = base ?? `http://${host}:${config.INTERNAL_PORT}/internal/ops`;
    this.api = hc<OpsRoutes>(this.base, { headers: { authorization: `Bearer ${config.secrets.service}` } });
  }

  /** The reply of a call, or its refusal (`code: message`) as an Error. */
  async answer<R extends Reply>(pending: Promise<R>): Promise<SuccessOf<R>> {
    const response = await pending;
    const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!response.ok) throw new Error(payload.error ? `${payload.error.code}: ${payload.error.message}` : `HTTP ${response.status}`);
    return payload as SuccessOf<R>;
  }

  /** Every page of a `{ items, nextCursor }` listing. */
  async all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const next = await page(cursor);
      items.push(...next.items);
      cursor = next.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return items;
  }

  /** true when a node answers on the internal edge */
  async reachable(): Promise<boolean> {
    try {
      await fetch(`${this.base.replace(/\/internal\/ops$/, "")}/healthz`, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      return false;
    }
  }
}

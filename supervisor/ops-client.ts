import type { Config } from "../config/index.ts";

/** The CLI's way to a running node: its internal edge, authenticated by the service token. */
export class OpsClient {
  readonly base: string;
  constructor(private config: Config, base?: string) {
    const host = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST;
    this.base = base ?? `http://${host}:${config.INTERNAL_PORT}/internal/ops`;
  }

  async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.config.secrets.service}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!response.ok) throw new Error(payload.error ? `${payload.error.code}: ${payload.error.message}` : `HTTP ${response.status}`);
    return payload as T;
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

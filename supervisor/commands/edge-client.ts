import type { Config } from "../../config/index.ts";

export type EdgeName = "gateway" | "agent" | "admin" | "callback" | "internal";
export type EdgeReply = { status: number; body: any };

const PORT_SETTING = {
  gateway: "GATEWAY_PORT",
  agent: "AGENT_PORT",
  admin: "ADMIN_PORT",
  callback: "CALLBACK_PORT",
  internal: "INTERNAL_PORT",
} as const satisfies Record<EdgeName, keyof Config>;

type Send = { body?: unknown; headers?: Record<string, string> };

/**
 * HTTP to a running node's edges at the ports of the current settings, as any client would.
 * Internal calls carry the service token and, for brand routes, `X-Brand-Id`.
 */
export class EdgeClient {
  constructor(private config: Config) {}

  url(edge: EdgeName): string {
    const host = this.config.HOST === "0.0.0.0" ? "127.0.0.1" : this.config.HOST;
    return `http://${host}:${this.config[PORT_SETTING[edge]]}`;
  }

  async send(edge: EdgeName, method: string, path: string, options: Send = {}): Promise<EdgeReply> {
    const headers = { ...options.headers, ...(options.body === undefined ? {} : { "content-type": "application/json" }) };
    const response = await fetch(`${this.url(edge)}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: response.status, body };
  }

  internal(method: string, path: string, options: { body?: unknown; brand?: string } = {}): Promise<EdgeReply> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.secrets.service}` };
    if (options.brand) headers["x-brand-id"] = options.brand;
    return this.send("internal", method, path, { body: options.body, headers });
  }
}

/** The reply body when the status is one of `expected`, else an error naming the call and the refusal. */
export function expectStatus(reply: EdgeReply, expected: number[], what: string): any {
  if (expected.includes(reply.status)) return reply.body;
  const error = reply.body?.error;
  const reason = error ? `${error.code}: ${error.message}` : `HTTP ${reply.status} ${typeof reply.body === "string" ? reply.body.slice(0, 200) : ""}`;
  throw new Error(`${what} failed (${reason})`);
}

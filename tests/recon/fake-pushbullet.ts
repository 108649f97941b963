import type { ServerWebSocket } from "bun";

type Push = {
  iden: string;
  type: "note";
  active: boolean;
  created: number;
  modified: number;
  title?: string;
  body: string;
  source_device_iden?: string;
  direction: "self" | "incoming";
};
type Scripted = "429" | "401";

/**
 * A local Pushbullet for one account, as its documentation describes it: the realtime stream
 * at `/websocket/<token>` (a `nop` every `nopMs`, `tickle` when the push history changes,
 * `push` frames for mirrored SMS, which are ephemeral: a phone's SMS while no stream is open is
 * not kept), and `GET /v2/pushes?modified_after=` with `Access-Token`, rate-limit headers and
 * its 429 answer. Tests drop the stream, refuse handshakes and script REST errors.
 */
export class FakePushbullet {
  readonly token = `o.${crypto.randomUUID().replace(/-/g, "")}`;
  private pushes: Push[] = [];
  private sockets = new Set<ServerWebSocket<unknown>>();
  private restErrors: Scripted[] = [];
  private handshakeErrors: Scripted[] = [];
  private clock = 0;
  private server: ReturnType<typeof Bun.serve>;
  private nop: ReturnType<typeof setInterval>;
  /** every modified_after the history was asked with */
  readonly historyReads: string[] = [];

  constructor(nopMs = 200) {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req, server) => this.handle(req, server),
      websocket: {
        open: (ws) => void this.sockets.add(ws),
        close: (ws) => void this.sockets.delete(ws),
        message: () => {},
      },
    });
    this.nop = setInterval(() => this.broadcast({ type: "nop" }), nopMs);
  }

  get apiUrl() {
    return `http://127.0.0.1:${this.server.port}`;
  }
  get streamUrl() {
    return `ws://127.0.0.1:${this.server.port}`;
  }
  get streams() {
    return this.sockets.size;
  }
  /** the `modified` of the newest push in the history */
  get newestModified() {
    return this.clock;
  }

  /** A mirrored SMS from the phone, on the open streams only. */
  sms(device: string, body: string, sender = "15882100") {
    const timestamp = Math.floor(Date.now() / 1000);
    this.broadcast({ type: "push", push: { type: "sms_changed", source_device_iden: device, notifications: [{ thread_id: "3", title: sender, body, timestamp }] } });
  }

  /** A forwarding app's note: kept in the history, announced with a tickle. */
  note(device: string, body: string, title = "15882100") {
    this.keep({ title, body, source_device_iden: device, direction: "self" });
  }

  /** A note another Pushbullet user pushed to the account (anyone who knows its email may). */
  noteFromAnotherUser(body: string, title = "15882100") {
    this.keep({ title, body, source_device_iden: "their-phone", direction: "incoming" });
  }

  private keep(push: Pick<Push, "title" | "body" | "source_device_iden" | "direction">) {
    const at = (this.clock = Math.max(this.clock + 0.001, Date.now() / 1000));
    this.pushes.push({ iden: `ujx${crypto.randomUUID().slice(0, 12)}`, type: "note", active: true, created: at, modified: at, ...push });
    this.broadcast({ type: "tickle", subtype: "push" });
  }

  dropStreams() {
    for (const ws of this.sockets) ws.close(1006, "dropped");
  }
  failHistory(...errors: Scripted[]) {
    this.restErrors.push(...errors);
  }
  refuseHandshakes(...errors: Scripted[]) {
    this.handshakeErrors.push(...errors);
  }

  stop() {
    clearInterval(this.nop);
    this.server.stop(true);
  }

  private broadcast(frame: unknown) {
    for (const ws of this.sockets) ws.send(JSON.stringify(frame));
  }

  private handle(req: Request, server: Bun.Server<unknown>): Response | undefined {
    const url = new URL(req.url);
    if (url.pathname.startsWith("/websocket/")) {
      if (url.pathname !== `/websocket/${this.token}`) return error(401, "invalid_access_token", "Access token is missing or invalid.");
      const scripted = this.handshakeErrors.shift();
      if (scripted) return scripted === "429" ? rateLimited() : error(401, "invalid_access_token", "Access token is missing or invalid.");
      return server.upgrade(req, { data: undefined }) ? undefined : error(400, "invalid_request", "not a websocket handshake");
    }
    if (url.pathname !== "/v2/pushes") return error(404, "not_found", "Not found");
    if (req.headers.get("access-token") !== this.token) return error(401, "invalid_access_token", "Access token is missing or invalid.");
    const scripted = this.restErrors.shift();
    if (scripted) return scripted === "429" ? rateLimited() : error(401, "invalid_access_token", "Access token is missing or invalid.");
    const after = Number(url.searchParams.get("modified_after") ?? "0");
    this.historyReads.push(url.searchParams.get("modified_after") ?? "");
    const matching = this.pushes.filter((p) => p.modified > after).sort((a, b) => b.modified - a.modified);
    // newest first, `limit` a page; `cursor` names the next page
    const limit = Math.min(500, Math.max(1, Number(url.searchParams.get("limit") ?? "500")));
    const offset = Number(/^p(\d+)$/.exec(url.searchParams.get("cursor") ?? "")?.[1] ?? "0");
    const pushes = matching.slice(offset, offset + limit);
    const next = offset + limit < matching.length ? { cursor: `p${offset + limit}` } : {};
    return Response.json(
      { pushes, ...next },
      { headers: { "X-Ratelimit-Limit": "16384", "X-Ratelimit-Remaining": "16000", "X-Ratelimit-Reset": String(Math.floor(Date.now() / 1000) + 60) } },
    );
  }
}

function error(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, type: "invalid_request", message }, error_code: code }, { status });
}

function rateLimited(): Response {
  const res = error(429, "ratelimited", "You have been ratelimited for making too many requests to the server.");
  res.headers.set("X-Ratelimit-Limit", "16384");
  res.headers.set("X-Ratelimit-Remaining", "0");
  res.headers.set("X-Ratelimit-Reset", String(Math.floor(Date.now() / 1000) + 1));
  return res;
}

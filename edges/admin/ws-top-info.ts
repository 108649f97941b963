import { Hono, type MiddlewareHandler } from "hono";
import { upgradeWebSocket } from "hono/bun";
import type { WSContext } from "hono/ws";
import { z } from "zod";
import { type TopInfoUpdate, topInfoCountersSchema } from "../../actors/admin/index.ts";
import { inScope, type StaffPrincipal } from "../../actors/identity/index.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { describe, verifyAccessToken } from "../shared/index.ts";

/**
 * `/ws`: the top-info counters of the member's brands, pushed when domain events change them.
 *
 *   client → {"type":"auth","token":"<staff access token>"}   (first message, within AUTH_WINDOW_MS)
 *   server → {"type":"ready","staff":{...},"brands":{"acme":{"counters":{...},"version":n}}}
 *   server → {"type":"counters","brand":"acme","counters":{...},"version":n}   (on every change)
 *   client → {"type":"ping"}  server → {"type":"pong"}
 *   server → {"type":"error","code":"...","message":"..."} then close 4401 (auth), 4403 (a temporary
 *            password still to change, as every REST route refuses) or 4400 (protocol)
 *
 * The token travels in a message, not the URL, so it stays out of access logs. The session is
 * checked again every STAFF_SOCKET_RECHECK_MS (30 s): a logout, a disabled account or a
 * password reset closes the socket, and a changed brand scope applies to the pushes from then
 * on (a brand taken away is heard no more; one granted is sent in a `counters` message at once).
 */
export const AUTH_WINDOW_MS = 10_000;

const clientMessage = z.discriminatedUnion("type", [z.object({ type: z.literal("auth"), token: z.string().min(1).max(4000) }), z.object({ type: z.literal("ping") })]);

export const brandCountersSchema = z.object({ counters: topInfoCountersSchema, version: z.number() }).meta({ id: "BrandCounters" });
export type BrandCounters = z.infer<typeof brandCountersSchema>;

const PASSWORD_CHANGE = "change your temporary password first: POST /api/v1/auth/password";

const describePage = describe({
  summary: "A page showing the socket's counters (the staff token goes in the URL fragment, never to the server)",
  tags: ["top-info"],
  responses: { 200: { description: "the page", mediaType: "text/html" } },
});
const describeSocket = describe({
  summary: "The top-info websocket: counters of the member's brands, pushed on every change",
  description:
    'Upgrade to a websocket, then send {"type":"auth","token":"<staff access token>"} within 10 seconds. The server answers {"type":"ready",...} with every brand\'s counters, ' +
    'then {"type":"counters","brand":...,"counters":...,"version":n} on each change; {"type":"ping"} is answered {"type":"pong"}. A refusal is ' +
    '{"type":"error","code":...,"message":...} and a close: 4401 no live staff session, 4403 a temporary password to change first, 4400 a message of another shape.',
  responses: { 101: { description: "Switching Protocols: the socket is open" } },
  errors: ["bad_request"],
});

/** A request that is no websocket upgrade is refused before the upgrade is tried (which throws without a socket server behind it). */
const requireUpgrade: MiddlewareHandler = async (c, next) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw new PlatformError("bad_request", "GET /ws opens a websocket: send Upgrade: websocket");
  await next();
};

/** Every active brand in the member's scope with its counters (a brand whose actor does not answer is left out). */
export async function topInfoSnapshot(ctx: EdgeContext, staff: StaffPrincipal): Promise<Record<string, BrandCounters>> {
  const brands = ctx.brands.active().filter((b) => inScope(staff.brands, b.id));
  const answers = await Promise.all(brands.map((b) => ctx.clients.admin(b.id).topInfo({}, { timeoutMs: 2000 })));
  const snapshot: Record<string, BrandCounters> = {};
  answers.forEach((a, i) => a.ok && (snapshot[brands[i]!.id] = a.value));
  return snapshot;
}

function sameScope(a: StaffPrincipal["brands"], b: StaffPrincipal["brands"]): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((brand) => b.includes(brand));
}

const PAGE = Bun.file(new URL("./ws-top-info-page.html", import.meta.url));

/** `/ws` and `/top-info.html`, a page showing the socket's counters (token in the URL fragment). */
export function topInfoSocketRoutes(ctx: EdgeContext) {
  return new Hono()
    .get("/top-info.html", describePage, async (c) => {
      c.header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
      c.header("Cache-Control", "no-store");
      return c.html(await PAGE.text());
    })
    .get(
      "/ws",
      describeSocket,
      requireUpgrade,
      upgradeWebSocket(() => {
        const socket = new TopInfoSocket(ctx);
        return {
          onOpen: (_event, ws) => socket.opened(ws),
          onMessage: (event, ws) => socket.received(ws, event.data),
          onClose: () => socket.closed(),
        };
      }),
    );
}

class TopInfoSocket {
  private staff: StaffPrincipal | undefined;
  /** set when the first `auth` arrives, before it is checked: a second one is refused, never a second subscription */
  private authenticating = false;
  private versions = new Map<string, number>();
  /** pushes heard while the snapshot is read: sent in (or right after) `ready`, never before it */
  private held: TopInfoUpdate[] | undefined;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private stopListening: (() => Promise<void>) | undefined;
  private closedAlready = false;

  constructor(private ctx: EdgeContext) {}

  opened(ws: WSContext) {
    this.timers.push(
      setTimeout(() => !this.staff && this.refuse(ws, 4401, "unauthorized", `send {"type":"auth","token":...} within ${AUTH_WINDOW_MS / 1000} seconds`), AUTH_WINDOW_MS),
    );
  }

  async received(ws: WSContext, data: unknown) {
    let message: z.infer<typeof clientMessage>;
    try {
      message = clientMessage.parse(JSON.parse(String(data)));
    } catch {
      return this.refuse(ws, 4400, "bad_request", 'messages are JSON: {"type":"auth","token":...} or {"type":"ping"}');
    }
    if (message.type === "ping") return this.send(ws, { type: "pong" });
    if (this.authenticating) return this.refuse(ws, 4400, "bad_request", "this socket is already authenticated (or authenticating): send auth once");
    this.authenticating = true;
    const staff = await this.authenticate(message.token).catch(() => undefined);
    if (!staff) return this.refuse(ws, 4401, "invalid_token", "the token is not a live staff session; log in again");
    if (staff.mustChangePassword) return this.refuse(ws, 4403, "password_change_required", PASSWORD_CHANGE);
    await this.start(ws, staff);
  }

  closed() {
    this.closedAlready = true;
    for (const timer of this.timers) clearTimeout(timer);
    void this.stopListening?.();
  }

  private async authenticate(token: string): Promise<StaffPrincipal | undefined> {
    const claims = await verifyAccessToken(this.ctx, token);
    if (claims.kind !== "staff") throw new PlatformError("forbidden", "not a staff token");
    return this.ctx.staff.authenticate(claims.jti, { staffId: claims.sub });
  }

  private async start(ws: WSContext, staff: StaffPrincipal) {
    this.staff = staff;
    // listen first, so no change between the snapshot and the first push is lost; hold what is
    // heard until `ready` is sent, merged so that no brand's version ever goes back
    this.held = [];
    const stop = await this.ctx.topInfo.subscribe((u) => this.push(ws, u));
    if (this.closedAlready) return void stop();
    this.stopListening = stop;
    const brands = await topInfoSnapshot(this.ctx, staff);
    const later = this.mergeHeld(brands);
    this.send(ws, { type: "ready", staff: { username: staff.username, role: staff.role, brands: staff.brands }, brands });
    for (const u of later) this.push(ws, u);
    const recheck = setInterval(() => void this.recheck(ws), this.ctx.config.STAFF_SOCKET_RECHECK_MS);
    this.timers.push(recheck as unknown as ReturnType<typeof setTimeout>);
  }

  /** The session again: closed if it ended, the brand scope as it is now (a granted brand's counters sent at once). */
  private async recheck(ws: WSContext) {
    const staff = this.staff!;
    const live = await this.ctx.staff.authenticate(staff.sessionId, { staffId: staff.staffId }).catch(() => staff); // the store being briefly unreachable is no reason to drop the screen
    if (this.closedAlready) return;
    if (!live) return this.refuse(ws, 4401, "invalid_token", "the session ended; log in again");
    if (live.mustChangePassword) return this.refuse(ws, 4403, "password_change_required", PASSWORD_CHANGE);
    const before = this.staff!.brands;
    this.staff = live;
    if (sameScope(before, live.brands)) return;
    const granted = await topInfoSnapshot(this.ctx, live);
    for (const [brand, c] of Object.entries(granted)) {
      if (!inScope(before, brand)) this.push(ws, { brand, counters: c.counters, version: c.version, at: Date.now() }, { again: true });
    }
  }

  /**
   * Fold the pushes held during the snapshot into it (the newer version wins) and stop holding.
   * Returns those of brands the snapshot does not have, to send after `ready`.
   */
  private mergeHeld(brands: Record<string, BrandCounters>): TopInfoUpdate[] {
    const held = this.held ?? [];
    this.held = undefined;
    const later = held.filter((u) => !Object.hasOwn(brands, u.brand));
    for (const u of held) {
      if (Object.hasOwn(brands, u.brand) && u.version > brands[u.brand]!.version) brands[u.brand] = { counters: u.counters, version: u.version };
    }
    for (const [brand, c] of Object.entries(brands)) this.versions.set(brand, c.version);
    return later;
  }

  /** `again`: a brand granted back is sent even at a version the socket saw before the scope narrowed. */
  private push(ws: WSContext, update: TopInfoUpdate, options: { again?: boolean } = {}) {
    if (!this.staff || !inScope(this.staff.brands, update.brand)) return;
    if (this.held) return void this.held.push(update);
    if (!options.again && (this.versions.get(update.brand) ?? 0) >= update.version) return;
    this.versions.set(update.brand, update.version);
    this.send(ws, { type: "counters", brand: update.brand, counters: update.counters, version: update.version });
  }

  private send(ws: WSContext, message: unknown) {
    if (!this.closedAlready) ws.send(JSON.stringify(message));
  }

  private refuse(ws: WSContext, closeCode: number, code: string, message: string) {
    this.send(ws, { type: "error", code, message });
    ws.close(closeCode, code);
  }
}

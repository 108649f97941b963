import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type GameDomain, GameRegistry, gameDomain, REGISTRY_ADDRESS } from "../../actors/game/index.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import { createBrand } from "../support/catalog.ts";
import { type TestNode, testNodeContext } from "../support/node-context.ts";
import { uniqueBrand } from "../support/services.ts";

/** `game@brand` and the registry actor, through their mailboxes (no HTTP). */

const by = { staffId: null, username: "test-setup" };
let node: TestNode;
let game: GameDomain;
let brand: string;
const provider = `g${crypto.randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  node = await testNodeContext();
  game = gameDomain(node);
  for (const kind of game.kinds()) node.system.register(kind);
  await game.start();
  brand = uniqueBrand("game");
  await createBrand(node.system, { id: brand, name: brand });
  await node.system.host(REGISTRY_ADDRESS, null);
  await node.system.host("game", brand);
  await node.system.ask(REGISTRY_ADDRESS, "registerProvider", { code: provider, name: "P", dialect: "batch", allBrands: true, by });
  await node.system.ask(REGISTRY_ADDRESS, "upsertGame", { provider, code: "live-1", name: "Live", category: "live_casino", by });
}, 30_000);
afterAll(async () => {
  await game?.stop();
  await node?.close();
});

const ask = <T = any>(type: string, body: unknown, id?: string) => node.system.ask<T>(`game@${brand}`, type, body, { id });
const tell = (type: string, body: unknown, id: string) => node.system.tell(`game@${brand}`, type, body, { id });

describe("game@brand: launch sessions", () => {
  test("a launch records the session and hands out a token naming it", async () => {
    const launched = await ask("launch", { player: "p1", provider, game: "live-1", ttlSeconds: 600 });
    const check = await game.tokens.check(launched.token);
    expect(check).toMatchObject({ genuine: true, expired: false, claims: { brand, player: "p1", provider, game: "live-1", session: launched.session } });
    expect(launched.expiresAt).toBeGreaterThan(Date.now() + 590_000);
    const sessions = await ask("sessions", { player: "p1" });
    expect(sessions.items.map((s: any) => s.session)).toEqual([launched.session]);
  });

  test("sessions page by cursor, newest first", async () => {
    const launched = [];
    for (let i = 0; i < 3; i++) launched.push((await ask("launch", { player: "pages", provider, game: "live-1" })).session);
    const first = await ask("sessions", { player: "pages", limit: 2 });
    const second = await ask("sessions", { player: "pages", limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((s: any) => s.session)).toEqual(launched.reverse());
    expect(second.nextCursor).toBeNull();
  });

  test("a redelivered launch answers the same session and token", async () => {
    const id = crypto.randomUUID();
    const first = await ask("launch", { player: "p2", provider, game: "live-1" }, id);
    expect(await ask("launch", { player: "p2", provider, game: "live-1" }, id)).toEqual(first);
    expect((await ask("sessions", { player: "p2" })).items).toHaveLength(1);
  });

  test("an unknown game is not found; a suspended player's sessions are revoked and launches refused until reinstated", async () => {
    await expect(ask("launch", { player: "p3", provider, game: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await ask("launch", { player: "p3", provider, game: "live-1" });
    const eventId = crypto.randomUUID();
    await tell("player.suspended", { playerId: "p3", reason: "fraud review", by: "staff-1" }, eventId);
    await tell("player.suspended", { playerId: "p3", reason: "fraud review", by: "staff-1" }, eventId);
    const sessions = await ask("sessions", { player: "p3" });
    expect(sessions.items[0]).toMatchObject({ revokedReason: "player suspended: fraud review", revokedAt: expect.any(Number) });
    await expect(ask("launch", { player: "p3", provider, game: "live-1" })).rejects.toMatchObject({ code: "forbidden" });
    await tell("player.reinstated", { playerId: "p3" }, crypto.randomUUID());
    expect((await ask("launch", { player: "p3", provider, game: "live-1" })).player).toBe("p3");
  });
});

const money = (kind: string, round: string, uuid: string, amount: number, extra: Record<string, unknown> = {}) => ({
  type: `wallet.${kind}`,
  body: {
    player: "rp",
    transactionId: crypto.randomUUID(),
    idempotencyKey: `p:${provider}:${uuid}`,
    amount: String(amount),
    balance: "0",
    currency: "KRW",
    provider,
    round,
    gameCode: "live-1",
    ...extra,
  },
});

describe("game@brand: rounds from wallet events", () => {
  test("bets open, a batch win with the round going on keeps it open, a finishing win closes it; an event applies once", async () => {
    const events = [
      money("bet_settled", "R1", "b1", 100, { roundFinished: false }),
      money("win", "R1", "w1", 40, { roundFinished: false }),
      money("bet_settled", "R1", "b2", 100, { roundFinished: false }),
    ];
    const ids = events.map(() => crypto.randomUUID());
    for (const [i, e] of events.entries()) await tell(e.type, e.body, ids[i]!);
    await tell(events[0]!.type, events[0]!.body, ids[0]!);
    let round = await ask("round", { provider, round: "R1" });
    expect(round).toMatchObject({ status: "open", betTotal: "200", winTotal: "40", closedAt: null });
    const last = money("win", "R1", "w2", 500, { roundFinished: true });
    await tell(last.type, last.body, crypto.randomUUID());
    round = await ask("round", { provider, round: "R1" });
    expect(round).toMatchObject({ status: "closed", betTotal: "200", winTotal: "540", closedAt: expect.any(Number) });
    expect(round.entries.map((e: any) => e.transactionUuid)).toEqual(["b1", "w1", "b2", "w2"]);
  });

  test("a rollback refunding every bet of a round without wins closes it; a partial one does not", async () => {
    for (const e of [money("bet_settled", "R2", "x1", 50), money("bet_settled", "R2", "x2", 70), money("rollback", "R2", "x1r", 50)]) {
      await tell(e.type, e.body, crypto.randomUUID());
    }
    expect(await ask("round", { provider, round: "R2" })).toMatchObject({ status: "open", refundTotal: "50" });
    const rest = money("rollback", "R2", "x2r", 70);
    await tell(rest.type, rest.body, crypto.randomUUID());
    expect(await ask("round", { provider, round: "R2" })).toMatchObject({ status: "closed", refundTotal: "120" });
  });

  test("rounds page by cursor, newest first, and filter by status", async () => {
    for (let i = 0; i < 5; i++) {
      const e = money("bet_settled", `P${i}`, `pb${i}`, 10);
      await tell(e.type, { ...e.body, player: "pager" }, crypto.randomUUID());
    }
    const first = await ask("rounds", { player: "pager", limit: 2 });
    const second = await ask("rounds", { player: "pager", limit: 2, cursor: first.nextCursor });
    const third = await ask("rounds", { player: "pager", limit: 2, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((r: any) => r.round)).toEqual(["P4", "P3", "P2", "P1", "P0"]);
    expect(third.nextCursor).toBeNull();
    expect((await ask("rounds", { player: "pager", status: "closed", limit: 10 })).items).toEqual([]);
    await expect(ask("round", { provider, round: "none" })).rejects.toMatchObject({ code: "not_found" });
  });

  test("a cursor past int64 or not a row number is refused before the turn, and the actor goes on answering", async () => {
    for (const cursor of ["9999999999999999999", "99999999999999999999.1", "9223372036854775808", "1.2", "-1", "", "1e3", "12\u0000"]) {
      await expect(ask("rounds", { player: "pager", limit: 2, cursor })).rejects.toMatchObject({ code: "validation_failed" });
      await expect(ask("sessions", { limit: 2, cursor })).rejects.toMatchObject({ code: "validation_failed" });
    }
    await expect(ask("rounds", { player: "pager\u0000", limit: 2 })).rejects.toMatchObject({ code: "validation_failed" });
    expect((await ask("rounds", { player: "pager", limit: 2, cursor: "9223372036854775807" })).items.map((r: any) => r.round)).toEqual(["P4", "P3"]);
  });
});

describe("game registry", () => {
  test("a redelivered registration answers that it was made, never the secret again; other nodes see changes after a refresh", async () => {
    const code = `g${crypto.randomUUID().slice(0, 8)}`;
    const otherNode = new GameRegistry(node.store, createLogger("silent"), 60_000);
    await otherNode.start();
    try {
      const id = crypto.randomUUID();
      const first = await node.system.ask<any>(REGISTRY_ADDRESS, "registerProvider", { code, name: "Q", dialect: "standard", by }, { id });
      const again = await node.system.askOutcome(REGISTRY_ADDRESS, "registerProvider", { code, name: "Q", dialect: "standard", by }, { id });
      expect(again).toMatchObject({ ok: false, error: { code: "conflict", details: { provider: { code } } } });
      expect(JSON.stringify(again)).not.toContain(first.secret);
      expect(game.registry.provider(code)?.name).toBe("Q");
      expect(otherNode.provider(code)).toBeUndefined();
      await otherNode.refresh();
      expect(otherNode.provider(code)).toMatchObject({ code, dialect: "standard", allBrands: false });
      expect(otherNode.secretOf(code)).toBe(first.secret);
      expect(otherNode.providerEnabled(code, brand)).toBe(false);
      await node.system.ask(REGISTRY_ADDRESS, "setProviderBrand", { code, brand, enabled: true, by });
      await otherNode.refresh();
      expect(otherNode.providerEnabled(code, brand)).toBe(true);
    } finally {
      otherNode.stop();
    }
  });
});

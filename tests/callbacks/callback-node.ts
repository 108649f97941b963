import { startGameDomain } from "../../actors/game/index.ts";
import { walletKind } from "../../actors/wallet/index.ts";
import { createEdges, serveEdges, type EdgeServer } from "../../edges/index.ts";
import { identityKind, identityOptions, type Role } from "../../actors/identity/index.ts";
import { adminEdgeDeps, staffTokenIssuer, useAdminEdgeDeps } from "../../edges/admin/staff-access.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import type { NodeContext } from "../../supervisor/context.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { gameDomain } from "../../actors/game/index.ts";
import { ROUTES } from "../../supervisor/routes.ts";
import { uniqueBrand } from "../support/services.ts";
import { servedNode } from "../support/served-node.ts";

export type CallbackNode = {
  ctx: NodeContext;
  /** the callback edge's base URL */
  url: string;
  /** an owner's staff access token (every brand) */
  staffToken: string;
  /** a new staff member with a live session: their access token */
  staffAs(role: Role, brands: string[] | null): Promise<string>;
  /** a new active brand (KRW unless told), its wallet and game actors hosted here */
  addBrand(options?: { currency?: string }): Promise<string>;
  close(): Promise<void>;
};

/**
 * A running node for callback tests: the wallet and game domains, the outbox relay and event
 * bus feeding rounds, and the edges served on port 0. With REDIS_URL the mailboxes and events
 * are Redis streams under a key prefix of its own, so other test runs never meet it; only the
 * brands it creates are hosted and relayed.
 */
export async function callbackNode(options: { env?: Record<string, string>; store?: CentralStore } = {}): Promise<CallbackNode> {
  const node = await servedNode("cb", options.env, { store: options.store });
  const { ctx } = node;
  const { system, catalog } = ctx;
  const identity = identityOptions({ hashCost: CHEAP_HASH });
  system.register(identityKind(ctx.store, identity));
  system.register(walletKind(ctx));
  for (const kind of gameDomain(ctx).kinds()) system.register(kind);
  await system.start();
  await catalog.start();
  await system.host("game_registry", null);
  await system.host("identity", null);
  useAdminEdgeDeps(ctx, identity);
  ctx.relay.start();
  const game = await startGameDomain(ctx);
  const edges: EdgeServer[] = serveEdges(ctx, createEdges(ctx, ROUTES.filter((r) => r.edge === "callback")));
  const callback = edges.find((e) => e.name === "callback")!;
  const staffAs = async (role: Role, brands: string[] | null) => {
    const username = `cb-${crypto.randomUUID().slice(0, 10)}`;
    const password = "a long enough test password";
    const passwordHash = await Bun.password.hash(password, { algorithm: "argon2id", ...CHEAP_HASH });
    const by = { staffId: null, username: "test-setup" };
    const created = await system.askOutcome("identity", "staff.create", { username, passwordHash, role, brands, mustChangePassword: false, by });
    if (!created.ok) throw new Error(`staff.create: ${created.error.message}`);
    const signedIn = await adminEdgeDeps(ctx).staff.login({ username, password }, staffTokenIssuer(ctx));
    if (!signedIn.ok || !signedIn.value.accessToken) throw new Error(`login: ${JSON.stringify(signedIn)}`);
    return signedIn.value.accessToken;
  };
  const staffToken = await staffAs("owner", null);

  return {
    ctx,
    url: callback.url,
    staffToken,
    staffAs,
    async addBrand({ currency = "KRW" } = {}) {
      const brand = uniqueBrand("cb");
      await catalog.create({ id: brand, name: brand, currency });
      node.relayBrand(brand);
      await system.host("wallet", brand);
      await system.host("game", brand);
      return brand;
    },
    async close() {
      await Promise.all(edges.map((e) => e.stop({ graceMs: 100 })));
      await game.stop();
      await node.close();
    },
  };
}

import type { Role } from "../../actors/identity/index.ts";
import type { CentralStore } from "../../actors/runtime/central-store.ts";
import { expectOk } from "../../actors/runtime/client.ts";
import { staffTokenIssuer } from "../../edges/admin/staff-access.ts";
import type { EdgeApps } from "../../edges/index.ts";
import type { NodeParts } from "../../supervisor/node-parts.ts";
import { CHEAP_HASH } from "../identity/identity-fixture.ts";
import { testNode } from "../support/test-node.ts";

export type CallbackNode = {
  /** the node's parts (tests reach around the edges only to arrange and inspect) */
  ctx: NodeParts;
  /** the callback edge's base URL */
  url: string;
  /** the edges' apps, for requests in process (a URL and Host of the test's choosing) */
  apps: EdgeApps;
  /** an owner's staff access token (every brand) */
  staffToken: string;
  /** a new staff member with a live session: their access token */
  staffAs(role: Role, brands: string[] | null): Promise<string>;
  /** a new active brand (KRW unless told), its wallet and game actors hosted here */
  addBrand(options?: { currency?: string }): Promise<string>;
  close(): Promise<void>;
};

/**
 * A running node for callback tests: the wallet and game domains (and identity for staff),
 * the outbox relay and event bus feeding rounds, and the edges served on port 0. With
 * REDIS_URL the mailboxes and events are Redis streams under a key prefix of its own, so
 * other test runs never meet it; only the brands it creates are hosted and relayed.
 */
export async function callbackNode(options: { env?: Record<string, string>; store?: CentralStore } = {}): Promise<CallbackNode> {
  const node = await testNode({
    label: "cb",
    env: options.env,
    store: options.store,
    domains: ["identity", "wallet", "game"],
    domainOptions: { credentials: { cost: CHEAP_HASH } },
    serve: true,
  });
  const callback = node.servers.find((e) => e.name === "callback")!;
  const staffAs = async (role: Role, brands: string[] | null) => {
    const username = `cb-${crypto.randomUUID().slice(0, 10)}`;
    const password = "a long enough test password";
    const passwordHash = await node.edge.staff.hash(password);
    const by = { staffId: null, username: "test-setup" };
    expectOk(await node.edge.clients.identity().createStaff({ username, passwordHash, role, brands, mustChangePassword: false, by }));
    const signedIn = await node.edge.staff.login({ username, password }, staffTokenIssuer(node.edge));
    if (!signedIn.ok || !signedIn.value.accessToken) throw new Error(`login: ${JSON.stringify(signedIn)}`);
    return signedIn.value.accessToken;
  };
  const staffToken = await staffAs("owner", null);

  return {
    ctx: node.parts,
    url: callback.url,
    apps: node.apps,
    staffToken,
    staffAs,
    addBrand: ({ currency = "KRW" } = {}) => node.addBrand({ prefix: "cb", currency }),
    close: () => node.stop(),
  };
}

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { walletClient } from "../../actors/wallet/index.ts";
import type { EdgeServer } from "../../edges/index.ts";
import { createBrand, TEST_SETUP } from "../support/catalog.ts";
import { uniqueBrand, waitFor } from "../support/services.ts";
import { type BackOffice, backOffice } from "./back-office-fixture.ts";
import { countersOf, TopInfoClient } from "./socket-client.ts";

let bo: BackOffice;
let admin: EdgeServer;
const clients: TopInfoClient[] = [];
const socket = () => {
  const client = new TopInfoClient(admin.url.replace("http", "ws") + "/ws");
  clients.push(client);
  return client;
};

beforeAll(async () => {
  bo = await backOffice();
  admin = bo.serve().find((s) => s.name === "admin")!;
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await bo.close();
});

/**
 * A player's deposit request, as the gateway sends it to `wallet@brand`. Nothing else wakes
 * the relay: the wallet notifies it after its commit, or the event waits for the fallback round.
 */
async function requestDeposit(brand: string, amount: number) {
  const requestId = crypto.randomUUID();
  const outcome = await walletClient(bo.node.system, brand).depositRequest({ requestId, player: crypto.randomUUID(), amount, depositorName: "Kim" });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return requestId;
}

describe("/ws top-info", () => {
  test("a deposit request moves pending deposits on the socket within a second; approval moves it back", async () => {
    const [a] = bo.brands;
    const finance = await bo.staff("finance", [a]);
    const client = socket();
    const ready = await client.authenticate(finance.token);
    expect(ready.type).toBe("ready");
    expect(Object.keys(ready.brands!)).toEqual([a]);
    const before = ready.brands![a]!.counters.pendingDeposits!;

    const asked = performance.now();
    const requestId = await requestDeposit(a, 50_000);
    const up = await client.next(countersOf(a, "pendingDeposits", before + 1), asked);
    const upMs = up.arrivedAt - asked;

    const approving = performance.now();
    const approved = await bo.admin("POST", `/api/v1/brands/${a}/deposits/${requestId}/approve`, { token: finance.token });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ requestId, status: "approved", amount: "50000" });
    const down = await client.next(countersOf(a, "pendingDeposits", before), approving);
    const downMs = down.arrivedAt - approving;

    console.log(`top-info push latency: deposit request → socket ${upMs.toFixed(0)} ms, approval → socket ${downMs.toFixed(0)} ms`);
    expect(upMs).toBeLessThan(1000);
    expect(downMs).toBeLessThan(1000);
  });

  test("a socket scoped to brand A hears nothing of brand B; an all-brand socket hears both", async () => {
    const [a, b] = bo.brands;
    const scoped = socket();
    const everyBrand = socket();
    expect((await scoped.authenticate((await bo.staff("read_only", [a])).token)).type).toBe("ready");
    const ready = await everyBrand.authenticate((await bo.staff("read_only", null)).token);
    expect(Object.keys(ready.brands!)).toEqual(expect.arrayContaining([a, b]));
    const since = performance.now();
    await requestDeposit(b, 10_000);
    await everyBrand.next((m) => m.type === "counters" && m.brand === b, since);
    await requestDeposit(a, 10_000);
    await scoped.next((m) => m.type === "counters" && m.brand === a, since);
    expect(scoped.messages.some((m) => m.message.brand === b)).toBe(false);
  });

  test("ready comes first and no brand's version goes back: pushes heard during the snapshot are folded into it", async () => {
    // a brand whose admin actor answers its first snapshot with version 0 and announces its
    // counters (a newer version) in the same turn, before the answer reaches the socket
    const brand = uniqueBrand("ws");
    await createBrand(bo.node.system, { id: brand, name: `Brand ${brand}` });
    await bo.node.system.host("admin", brand);
    const client = socket();
    const ready = await client.authenticate((await bo.staff("admin", [brand])).token);
    expect(ready.type).toBe("ready");
    const requested = { id: crypto.randomUUID(), type: "wallet.deposit_requested", brand, at: Date.now(), payload: { requestId: crypto.randomUUID() } };
    await bo.node.events.publish([requested]);
    await client.next(countersOf(brand, "pendingDeposits", 1));
    const seen = client.messages.map((m) => m.message);
    expect(seen[0]!.type).toBe("ready");
    const versions = [ready.brands![brand]!.version as number, ...seen.filter((m) => m.type === "counters").map((m) => m.version as number)];
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
  });

  test("a socket without a valid staff session, or of a member with a temporary password, is told why and closed", async () => {
    const cases = [
      ["not a token", "invalid_token"],
      [await bo.playerToken(bo.brands[0]), "invalid_token"],
    ] as const;
    for (const [token, code] of cases) {
      const client = socket();
      expect(await client.authenticate(token)).toMatchObject({ type: "error", code });
      await waitFor(() => client.closed, { what: "the socket to close" });
      expect(client.closed!.code).toBe(4401);
    }
    // a member who must still change a temporary password gets nothing, as on every REST route
    const username = `tmp-${crypto.randomUUID().slice(0, 8)}`;
    const password = "a temporary password";
    const created = await bo.edge.clients
      .identity()
      .createStaff({ username, passwordHash: await bo.edge.staff.hash(password), role: "read_only", brands: null, mustChangePassword: true, by: TEST_SETUP });
    expect(created.ok).toBe(true);
    const login = await bo.admin("POST", "/api/v1/auth/login", { body: { username, password } });
    const { accessToken } = (await login.json()) as { accessToken: string };
    expect((await bo.admin("GET", "/api/v1/top-info", { token: accessToken })).status).toBe(403);
    const temporary = socket();
    expect(await temporary.authenticate(accessToken)).toMatchObject({ type: "error", code: "password_change_required" });
    await waitFor(() => temporary.closed, { what: "the socket to close" });
    expect(temporary.closed!.code).toBe(4403);
    expect(temporary.messages.some((m) => m.message.type === "ready" || m.message.type === "counters")).toBe(false);

    const garbled = socket();
    await garbled.open();
    garbled.send({ type: "subscribe" });
    expect(await garbled.next((m) => m.type === "error")).toMatchObject({ code: "bad_request" });
    await waitFor(() => garbled.closed, { what: "the socket to close" });
    expect(garbled.closed!.code).toBe(4400);
  });
});

describe("/ws session and scope", () => {
  test("a second auth is refused and closes the socket, before the first is checked too: never two subscriptions", async () => {
    const hub = bo.edge.topInfo;
    const subscribe = hub.subscribe.bind(hub);
    let live = 0;
    (hub as { subscribe: typeof hub.subscribe }).subscribe = async (listener) => {
      live++;
      const stop = await subscribe(listener);
      return async () => {
        live--;
        await stop();
      };
    };
    try {
      const { token } = await bo.staff("read_only", null);
      const client = socket();
      await client.open();
      client.send({ type: "auth", token });
      client.send({ type: "auth", token });
      expect(await client.next((m) => m.type === "error")).toMatchObject({ code: "bad_request" });
      await waitFor(() => client.closed, { what: "the socket to close" });
      expect(client.closed!.code).toBe(4400);
      await waitFor(() => live === 0, { what: "every subscription of the closed socket to end" });
    } finally {
      (hub as { subscribe: typeof hub.subscribe }).subscribe = subscribe;
    }
  });

  test("a narrowed brand scope stops a brand's pushes; a granted one is sent at once; a disabled member's socket closes", async () => {
    const [a, b] = bo.brands;
    const owner = await bo.staff("owner", null);
    const member = await bo.staff("read_only", [a, b]);
    const client = socket();
    const ready = await client.authenticate(member.token);
    expect(Object.keys(ready.brands!).sort()).toEqual([a, b].sort());
    const patch = async (body: unknown) => {
      const res = await bo.admin("PATCH", `/api/v1/staff/${member.staffId}`, { token: owner.token, body });
      expect(res.status).toBe(200);
    };

    await patch({ brands: [a] });
    // once the recheck has run, a change at brand B is heard no more while brand A's still are
    await waitFor(
      async () => {
        const since = performance.now();
        await requestDeposit(b, 1_000);
        await requestDeposit(a, 1_000);
        await client.next((m) => m.type === "counters" && m.brand === a, since);
        return !client.messages.some((m) => m.at >= since && m.message.brand === b);
      },
      { what: "brand B's pushes to stop" },
    );

    const granted = performance.now();
    await patch({ brands: [a, b] });
    expect(await client.next((m) => m.type === "counters" && m.brand === b, granted)).toMatchObject({ brand: b });

    await patch({ status: "disabled" });
    await waitFor(() => client.closed, { what: "the disabled member's socket to close" });
    expect(client.closed!.code).toBe(4401);
  });
});

describe("/ws without a websocket upgrade", () => {
  test("a plain GET is 400 bad_request naming the upgrade, over HTTP and in process (never a 500)", async () => {
    const overHttp = await fetch(`${admin.url}/ws`);
    expect(overHttp.status).toBe(400);
    expect(await overHttp.json()).toEqual({ error: { code: "bad_request", message: "GET /ws opens a websocket: send Upgrade: websocket" } });
    // in process there is no socket server to upgrade with: the refusal comes first all the same
    const inProcess = await bo.admin("GET", "/ws", {});
    expect(inProcess.status).toBe(400);
    expect(((await inProcess.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });
});

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signBody } from "../../actors/game/index.ts";
import { waitFor } from "../support/services.ts";
import type { CallbackNode } from "./callback-node.ts";
import { callbackFixture, cash, forgedToken, fund, launch, type ProviderClient, registerProvider, staff } from "./provider-client.ts";

/**
 * `POST /integration/replay`: a callback signed as the provider and run through this node's
 * own callback pipeline. What it checks is what it sends, it sends nowhere else, and it
 * hands out no signature.
 */

let node: CallbackNode;
let brand: string;
let other: string;
let provider: ProviderClient;

beforeAll(async () => {
  ({
    node,
    brand,
    providers: { standard: provider },
  } = await callbackFixture(["standard"]));
  other = await node.addBrand();
}, 30_000);
afterAll(() => node?.close());

const BOM = "\uFEFF";
const replay = (body: Record<string, unknown>, token?: string) =>
  staff(node, "POST", "/integration/replay", { provider: provider.code, operation: "transaction/bet", ...body }, token);
const betBody = (token: string, uuid: string = crypto.randomUUID(), amount = 100) => ({ token, transaction_uuid: uuid, round: "rp", game_code: "slot-1", amount, currency: "KRW" });

async function player(at: string, amount = 500) {
  const id = `rp-${crypto.randomUUID().slice(0, 8)}`;
  await fund(node, at, id, amount);
  return { id, token: await launch(node, at, id, provider.code) };
}

describe("replay: what it sends and answers", () => {
  test("signs and runs a callback as the provider would, and shows both sides without the signature", async () => {
    const alice = await player(brand);
    const body = betBody(alice.token, "replay-1", 120);
    const sent = await replay({ body });
    expect(sent.http).toBe(200);
    const text = JSON.stringify(body);
    expect(sent.body.request).toEqual({ path: `/callbacks/${provider.code}/transaction/bet`, body: text });
    expect(sent.body.response).toMatchObject({ status: 200, body: { status: "RS_OK", balance: 380 } });
    expect(JSON.stringify(sent.body)).not.toContain(await signBody(provider.secret, text));
    const again = await replay({ body });
    expect(again.body.response.body).toMatchObject({ status: "RS_OK", balance: 380, transaction_id: sent.body.response.body.transaction_id });
    const forged = await replay({ body: betBody(alice.token), badSignature: true });
    expect(forged.body.response).toMatchObject({ status: 401, body: { status: "RS_ERROR_INVALID_SIGNATURE" } });
    expect(await cash(node, brand, alice.id)).toBe(380n);
  });

  test("a raw body is sent byte for byte: one that starts with a byte-order mark is not JSON to the callback either", async () => {
    const alice = await player(brand);
    const raw = `${BOM}${JSON.stringify(betBody(alice.token))}`;
    const sent = await replay({ raw });
    expect(sent.body.request.body).toBe(raw);
    expect(sent.body.response).toEqual({ status: 400, body: { status: "RS_ERROR_WRONG_TYPES", message: "the body is not valid JSON" }, ms: expect.any(Number) });
    // and the same from the provider itself
    expect((await provider.call("transaction/bet", undefined, { raw })).body.status).toBe("RS_ERROR_WRONG_TYPES");
    expect(await cash(node, brand, alice.id)).toBe(500n);
  });

  test("an unknown provider or operation is 404; a body too deep is refused before it is parsed", async () => {
    expect((await staff(node, "POST", "/integration/replay", { provider: "nobody", operation: "transaction/bet", body: {} })).body.error.code).toBe("not_found");
    expect((await replay({ operation: "play", body: {} })).body.error.code).toBe("not_found");
    const deep = await replay({ raw: `${"[".repeat(5000)}${"]".repeat(5000)}` });
    expect(deep.body.response).toMatchObject({ status: 400, body: { status: "RS_ERROR_WRONG_TYPES" } });
  });

  test("an operation named after what every object inherits (constructor) is 404, not a 500", async () => {
    const sent = await replay({ operation: "constructor", body: {} });
    expect([sent.http, sent.body.error?.code]).toEqual([404, "not_found"]);
  });

  test("it never leaves the node: the request's Host and URL do not choose where it goes", async () => {
    let hits = 0;
    using trap = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => (hits++, Response.json({ status: "RS_OK", balance: 1e9 })) });
    const alice = await player(brand);
    const response = await node.apps.callback.request(`http://127.0.0.1:${trap.port}/integration/replay`, {
      method: "POST",
      headers: { authorization: `Bearer ${node.staffToken}`, "content-type": "application/json", host: `127.0.0.1:${trap.port}` },
      body: JSON.stringify({ provider: provider.code, operation: "transaction/bet", body: betBody(alice.token) }),
    });
    const reply = (await response.json()) as any;
    expect(reply.response.body).toMatchObject({ status: "RS_OK", balance: 400 });
    expect(hits).toBe(0);
  });

  test("a provider's IP allow-list does not apply: no provider address takes part", async () => {
    const fenced = await registerProvider(node, "standard", { ipAllowList: ["203.0.113.0/24"] });
    await fund(node, brand, "fenced-player", 100);
    const token = await launch(node, brand, "fenced-player", fenced.code);
    const sent = await staff(node, "POST", "/integration/replay", { provider: fenced.code, operation: "user/balance", body: { token } });
    expect(sent.body.response.body).toMatchObject({ status: "RS_OK", balance: 100 });
  });
});

describe("replay: brand scope", () => {
  test("a brand-scoped member replays their brand's calls only; a byte-order mark does not hide another brand's token", async () => {
    const scoped = await node.staffAs("admin", [brand]);
    const mine = await player(brand);
    const theirs = await player(other);
    expect((await replay({ body: betBody(mine.token) }, scoped)).body.response.body.status).toBe("RS_OK");

    const refusals = [
      { body: betBody(theirs.token) },
      { raw: `${BOM}${JSON.stringify(betBody(theirs.token))}` },
      { raw: ` ${BOM}${JSON.stringify(betBody(theirs.token))}` },
      { raw: JSON.stringify(betBody(theirs.token)).replace('"token"', '"tok\\u0065n"').replace('"amount":100', '"amount":"100"') },
    ];
    for (const input of refusals) {
      const refused = await replay(input, scoped);
      expect({ input, refused }).toEqual({ input, refused: { http: 403, body: { error: expect.objectContaining({ code: "forbidden" }) } } });
    }
    expect(await cash(node, other, theirs.id)).toBe(500n);
  });

  test("when the brand cannot be told (no token, a forged one, a body that does not parse), a scoped member is refused", async () => {
    const scoped = await node.staffAs("admin", [brand]);
    const forged = await forgedToken({ brand, player: "p", provider: provider.code, game: "slot-1" });
    for (const input of [{ body: betBody(forged) }, { body: { transaction_uuid: "x" } }, { raw: "{not json" }, { raw: "" }]) {
      const refused = await replay(input, scoped);
      expect({ input, refused }).toEqual({ input, refused: { http: 403, body: { error: { code: "forbidden", message: expect.stringContaining("cannot tell which brand") } } } });
    }
    // every-brand staff may replay anything, to certify the refusals
    expect((await replay({ raw: "{not json" })).body.response).toMatchObject({ status: 400, body: { status: "RS_ERROR_WRONG_TYPES" } });
  });

  test("replay needs games.write", async () => {
    const reader = await node.staffAs("read_only", null);
    expect((await replay({ body: {} }, reader)).body.error).toEqual({ code: "forbidden", message: "role read_only lacks games.write" });
  });
});

describe("replay: money staff move is theirs", () => {
  const auditOf = (at: string, player: string) =>
    node.ctx.store.query<{ username: string; staff_id: string | null; action: string; after: unknown }>(
      "select username, staff_id, action, after from audit_log where brand_id = $1 and target = $2 and action like 'wallet.%replay' order by seq",
      [at, `player:${player}`],
    );

  test("a replayed bet is audited as the member's (wallet.callback_replay) with what it moved; its repeat and its refusal audit nothing", async () => {
    const alice = await player(brand);
    const body = betBody(alice.token, `audited-${crypto.randomUUID()}`, 70);
    const sent = await replay({ body });
    expect(sent.body.response.body).toMatchObject({ status: "RS_OK", balance: 430 });
    await replay({ body });
    expect((await replay({ body: betBody(alice.token, crypto.randomUUID(), 10_000) })).body.response.body.status).toBe("RS_ERROR_NOT_ENOUGH_MONEY");
    // a provider's own call is no staff member's; a later change's row in means earlier ones are in too
    expect((await provider.call("transaction/bet", betBody(alice.token, crypto.randomUUID(), 30))).body.status).toBe("RS_OK");
    await fund(node, brand, alice.id, 1);
    const adjustments = () => node.ctx.store.query("select 1 from audit_log where brand_id = $1 and target = $2 and action = 'wallet.adjust'", [brand, `player:${alice.id}`]);
    await waitFor(async () => (await adjustments()).length === 2, { what: "the later adjustment's audit row" });
    const rows = await auditOf(brand, alice.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "wallet.callback_replay",
      username: expect.any(String),
      staff_id: expect.any(String),
      after: { type: "bet", body: { amount: "70", transactionUuid: body.transaction_uuid }, outcome: { balance: "430", replayed: false } },
    });
    expect(await cash(node, brand, alice.id)).toBe(401n);
  });
});

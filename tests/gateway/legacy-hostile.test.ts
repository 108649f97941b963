import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LEGACY_BY_ROUTE } from "../../edges/gateway/legacy/legacy-table.ts";
import { legacyData, legacyJson, legacySuccess } from "../../edges/shared/legacy/index.ts";
import { type GatewayNode, gatewayNode, loggedIn } from "./gateway-node.ts";

/**
 * Hostile and out-of-range input in the legacy dialect: refused in translation with the
 * legacy envelope's validation failure (HTTP 200, `result: 0`), so nothing reaches the twin;
 * and replies that hold an integer the dialect's clients cannot read exactly still answer.
 */

let gw: GatewayNode;
let brand: string;
beforeAll(async () => {
  gw = await gatewayNode({ brands: 1 });
  brand = gw.brand;
});
afterAll(() => gw.close());

async function legacy(method: "GET" | "POST", path: string, token: string, fields: { form?: Record<string, string>; json?: unknown } = {}) {
  const headers: Record<string, string> = { host: `play.${brand}.test`, authorization: `Bearer ${token}` };
  let body: string | undefined;
  if (fields.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(fields.form).toString();
  } else if (fields.json !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof fields.json === "string" ? fields.json : JSON.stringify(fields.json);
  }
  const res = await gw.raw(`play.${brand}.test`, path, { method, headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

const refused = { status: 200, body: { result: 0, code: "validation_failed" } };

describe("legacy amounts past what a request may move", () => {
  test("POST /charge and /exchange with money=9999999999999999 are refused in translation; nothing is requested and the lists still answer", async () => {
    const p = await loggedIn(gw, brand);
    const past = "9999999999999999";
    for (const path of ["/charge", "/exchange"]) {
      expect(await legacy("POST", path, p.token, { form: { money: past, in_name: "Kim Minsu" } })).toMatchObject(refused);
      // as a JSON number it is not even exact (it parses as 10000000000000000)
      expect(await legacy("POST", path, p.token, { json: `{"money": ${past}, "in_name": "Kim Minsu"}` })).toMatchObject(refused);
      expect(await legacy("POST", path, p.token, { json: { money: "1000000000000000", in_name: "Kim Minsu" } })).toMatchObject(refused);
    }
    for (const path of ["/wallet/deposits", "/wallet/withdrawals"]) {
      expect((await gw.call(brand, "GET", `/api/v1${path}`, { token: p.token })).body.items).toEqual([]);
    }
    for (const path of ["/charge/list", "/exchange/list"]) {
      expect(await legacy("GET", path, p.token)).toEqual({ status: 200, body: { result: 1, msg: "", data: { list: [] } } });
    }
    // the largest amount a request may move passes translation (the wallet decides on it)
    const largest = await legacy("POST", "/charge", p.token, { form: { money: "999999999999999", in_name: "Kim Minsu" } });
    expect(largest.body.code).not.toBe("validation_failed");
  });

  test("a stored amount past 2^53 is written digit for digit, not answered `internal`", () => {
    const rule = LEGACY_BY_ROUTE.get("GET /charge/list")!.reply;
    const reply = { items: [{ requestId: "r-1", amount: "9999999999999999", status: "pending", at: "2026-01-01T00:00:00.000Z" }], nextCursor: null };
    const text = legacyJson(legacySuccess(legacyData(rule, reply)));
    expect(text).toBe('{"result":1,"msg":"","data":{"list":[{"idx":"r-1","money":9999999999999999,"status":"pending","regdate":"2026-01-01T00:00:00.000Z"}]}}');
    // text a player wrote that looks like a tag stays text
    const tricky = legacyJson(legacySuccess({ title: "9999999999999999", big: 12345678901234567890n }));
    expect(tricky).toBe('{"result":1,"msg":"","data":{"title":"9999999999999999","big":12345678901234567890}}');
  });
});

describe("legacy fields are scalars within bounds", () => {
  test("objects where a value belongs, pages past the walk's reach and oversized text are refused", async () => {
    const p = await loggedIn(gw, brand);
    expect(await legacy("POST", "/charge", p.token, { json: { money: { $gt: 0 }, in_name: "Kim Minsu" } })).toMatchObject(refused);
    expect(await legacy("POST", "/charge", p.token, { json: { money: 10_000, in_name: "x".repeat(2001) } })).toMatchObject(refused);
    expect(await legacy("GET", "/memo/list?page=51", p.token)).toMatchObject(refused);
    expect(await legacy("GET", "/memo/list?page=0", p.token)).toMatchObject(refused);
    expect(await legacy("GET", "/money/history?limit=9999", p.token)).toMatchObject(refused);
    // a token field a header cannot carry (the twin gets it as Authorization) is refused, not `internal`
    for (const token of ["\uFEFF", "\uFEFFeyJ", "토큰", "a b"]) {
      const res = await gw.raw(`play.${brand}.test`, `/user/info?token=${encodeURIComponent(token)}`, { headers: { host: `play.${brand}.test` } });
      expect({ token, reply: await res.json() }).toMatchObject({ token, reply: refused.body });
    }
    // a repeated form key: the first value counts
    const repeated = await gw.raw(`play.${brand}.test`, "/charge", {
      method: "POST",
      headers: { host: `play.${brand}.test`, authorization: `Bearer ${p.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "money=5000&money=9999999999999999&in_name=Kim%20Minsu",
    });
    expect(await repeated.json()).toMatchObject({ result: 1, data: { money: 5000 } });
  });
});

describe("legacy pages follow the twin's cursors", () => {
  test("/memo/list?page=N&limit=M is the N-th page; past the last one the list is empty", async () => {
    const p = await loggedIn(gw, brand);
    for (const title of ["one", "two", "three"]) {
      await gw.internal(brand, "POST", `/internal/players/${p.playerId}/messages`, { json: { title, body: `${title} body` } });
    }
    const titles = async (query: string) => {
      const res = await legacy("GET", `/memo/list?${query}`, p.token);
      expect(res.body).toMatchObject({ result: 1, data: { total: 3, unread: 3 } });
      return res.body.data.list.map((m: { title: string }) => m.title);
    };
    expect(await titles("limit=2")).toEqual(["three", "two"]);
    expect(await titles("page=2&limit=2")).toEqual(["one"]);
    expect(await titles("page=2&limit=1")).toEqual(["two"]);
    expect(await titles("page=5&limit=2")).toEqual([]);
  });
});

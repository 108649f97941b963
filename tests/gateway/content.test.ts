import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, type GatewayNode, gatewayNode } from "./gateway-node.ts";

let gw: GatewayNode;
let acme: string;
let beta: string;
beforeAll(async () => {
  gw = await gatewayNode();
  [acme, beta] = gw.brands as [string, string];
});
afterAll(() => gw.close());

describe("public content happy", () => {
  test("staff publish notices, banners, FAQ and settings; visitors read them without login", async () => {
    const notice = await gw.internal(acme, "POST", "/internal/common/content", { json: { kind: "notice", title: "Welcome", body: "Open 24/7" } });
    expect(notice.status).toBe(201);
    await gw.internal(acme, "POST", "/internal/common/content", { json: { kind: "notice", title: "Draft", published: false } });
    await gw.internal(acme, "POST", "/internal/common/content", { json: { kind: "banner", title: "Promo", imageUrl: "https://cdn.example/p.png" } });
    await gw.internal(acme, "POST", "/internal/common/content", { json: { kind: "faq", title: "How to deposit?", body: "Bank transfer", category: "money" } });
    await gw.internal(acme, "PATCH", "/internal/common/site-settings", { json: { settings: { siteName: "Acme", minDeposit: 10000 } } });

    expect((await gw.call(acme, "GET", "/api/v1/notices")).body.items.map((n: { title: string }) => n.title)).toEqual(["Welcome"]);
    expect((await gw.call(acme, "GET", "/api/v1/banners")).body.items).toHaveLength(1);
    expect((await gw.call(acme, "GET", "/api/v1/faq")).body.items[0]).toMatchObject({ title: "How to deposit?", category: "money" });
    expect((await gw.call(acme, "GET", "/api/v1/site-settings")).body).toEqual({ settings: { minDeposit: 10000, siteName: "Acme" } });
    expect((await gw.internal(acme, "GET", "/internal/common/notices")).body.items).toHaveLength(2);

    const edited = await gw.internal(acme, "PUT", `/internal/common/content/${notice.body.id}`, { json: { kind: "notice", title: "Welcome!" } });
    expect(edited.body.title).toBe("Welcome!");
    expect((await gw.internal(acme, "DELETE", `/internal/common/content/${notice.body.id}`)).body).toEqual({ deleted: true });
    expect((await gw.call(acme, "GET", "/api/v1/notices")).body.items).toEqual([]);
  });
});

describe("public content bad input", () => {
  test("unsafe links, oversized titles and bad setting keys are 400, nothing written", async () => {
    const before = count(gw, acme, "site_content");
    for (const json of [
      { kind: "banner", title: "x", linkUrl: "javascript:alert(1)" },
      { kind: "notice", title: "t".repeat(201) },
      { kind: "poll", title: "x" },
      { kind: "notice", title: "x", sort: "1; DROP TABLE site_content" },
    ]) {
      expect((await gw.internal(acme, "POST", "/internal/common/content", { json })).status).toBe(400);
    }
    expect(count(gw, acme, "site_content")).toBe(before);
    expect((await gw.internal(acme, "PATCH", "/internal/common/site-settings", { json: { settings: { "key'--": 1 } } })).status).toBe(400);
    expect((await gw.internal(acme, "PUT", "/internal/common/content/abc", { json: { kind: "notice", title: "x" } })).status).toBe(400);
  });

  test("control characters in content and settings are 400 validation_failed, nothing written", async () => {
    const before = [count(gw, acme, "site_content"), count(gw, acme, "site_settings")];
    for (const json of [
      { kind: "notice", title: "nul\u0000" },
      { kind: "notice", title: "x", body: "a\u0000b" },
      { kind: "faq", title: "x", category: "bell\u0007" },
      { kind: "banner", title: "x", imageUrl: "https://cdn.example/a\u0000.png" },
    ]) {
      expect(await gw.internal(acme, "POST", "/internal/common/content", { json })).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    }
    for (const settings of [{ siteName: "Acme\u0000" }, { contact: { "tele\u0000gram": "@acme" } }, { list: ["ok", "\u001b[31m"] }]) {
      expect(await gw.internal(acme, "PATCH", "/internal/common/site-settings", { json: { settings } })).toMatchObject({
        status: 400,
        body: { error: { code: "validation_failed" } },
      });
    }
    expect([count(gw, acme, "site_content"), count(gw, acme, "site_settings")]).toEqual(before);
  });

  test("lists page in the site's order; a cursor past int64 is 400", async () => {
    const brand = await gw.addBrand();
    for (const [title, sort] of [
      ["third", 3],
      ["first", 1],
      ["second", 2],
    ] as const) {
      await gw.internal(brand, "POST", "/internal/common/content", { json: { kind: "notice", title, sort } });
    }
    const first = await gw.call(brand, "GET", "/api/v1/notices?limit=2");
    expect(first.body.items.map((n: { title: string }) => n.title)).toEqual(["first", "second"]);
    expect(await gw.call(brand, "GET", `/api/v1/notices?limit=2&cursor=${first.body.nextCursor}`)).toMatchObject({
      status: 200,
      body: { items: [{ title: "third" }], nextCursor: null },
    });
    expect((await gw.call(brand, "GET", "/api/v1/notices?cursor=99999999999999999999")).status).toBe(400);
    expect((await gw.internal(brand, "GET", "/internal/common/notices?cursor=abc")).status).toBe(400);
  });
});

describe("public content security", () => {
  test("one brand's content never shows on another's site; writing needs the service token", async () => {
    await gw.internal(acme, "POST", "/internal/common/content", { json: { kind: "faq", title: "Acme only" } });
    expect((await gw.call(beta, "GET", "/api/v1/faq")).body.items).toEqual([]);
    expect((await gw.internal(acme, "POST", "/internal/common/content", { token: "wrong", json: { kind: "faq", title: "x" } })).status).toBe(401);
    expect((await gw.internal(null, "GET", "/internal/common/notices")).body.error.code).toBe("brand_not_found");
    expect((await gw.call(acme, "POST", "/api/v1/notices", { json: { title: "x" } })).status).toBe(404);
  });
});

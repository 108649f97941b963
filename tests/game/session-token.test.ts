import { describe, expect, test } from "bun:test";
import { sign } from "hono/jwt";
import { SessionTokens } from "../../actors/game/index.ts";

const secret = "session-secret-for-tests-0123456789abcdef";
const claims = { brand: "acme", player: "p-1", provider: "prov", game: "slot-1", session: "s-1", expiresAt: Date.now() + 3_600_000 };

describe("session tokens", () => {
  test("a token names brand, player, provider, game, session and expiry", async () => {
    const tokens = new SessionTokens(secret);
    const check = await tokens.check(await tokens.issue(claims));
    expect(check).toEqual({ genuine: true, expired: false, claims: { ...claims, expiresAt: Math.floor(claims.expiresAt / 1000) * 1000 } });
  });

  test("an expired token is still genuine, and says it expired", async () => {
    const tokens = new SessionTokens(secret);
    const token = await tokens.issue({ ...claims, expiresAt: Date.now() - 1000 });
    expect(await tokens.check(token)).toMatchObject({ genuine: true, expired: true, claims: { player: "p-1" } });
  });

  test("a token checked before is still judged against the time of each check", async () => {
    const tokens = new SessionTokens(secret);
    const token = await tokens.issue(claims);
    expect((await tokens.check(token)).genuine).toBe(true);
    expect(await tokens.check(token, claims.expiresAt + 1000)).toMatchObject({ genuine: true, expired: true });
    expect(await tokens.check(token)).toMatchObject({ genuine: true, expired: false });
  });

  test("another secret, a changed claim, a foreign JWT or garbage is not genuine", async () => {
    const token = await new SessionTokens(secret).issue(claims);
    const other = new SessionTokens("another-secret-0123456789abcdefghijkl");
    expect((await other.check(token)).genuine).toBe(false);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "p-2" })).toString("base64url");
    const tokens = new SessionTokens(secret);
    expect((await tokens.check(`${header}.${changed}.${signature}`)).genuine).toBe(false);
    const foreign = await sign({ sub: "p-1", brand: "acme", exp: Math.floor(Date.now() / 1000) + 60 }, secret, "HS256");
    expect(await tokens.check(foreign)).toEqual({ genuine: false, reason: "the token is not one this platform signed" });
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`;
    expect((await tokens.check(none)).genuine).toBe(false);
    expect((await tokens.check("a.b.c")).genuine).toBe(false);
  });
});

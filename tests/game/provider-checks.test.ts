import { describe, expect, test } from "bun:test";
import { addressAllowed, gameRegistryProtocol, signatureMatches, signBody, signingKey } from "../../actors/game/index.ts";

const body = new TextEncoder().encode('{"token":"t","amount":100}');
const secret = "provider-secret-0123456789abcdefghijklmn";

describe("provider signature", () => {
  test("lowercase hex HMAC-SHA256 of the raw body", async () => {
    const signature = await signBody(secret, body);
    expect(signature).toBe(new Bun.CryptoHasher("sha256", secret).update(body).digest("hex"));
    expect(await signatureMatches([await signingKey(secret)], signature, body)).toBe(true);
  });

  test("a wrong secret, another body, uppercase, short or missing signature does not match", async () => {
    const key = await signingKey(secret);
    const signature = await signBody(secret, body);
    expect(await signatureMatches([await signingKey(`${secret}x`)], signature, body)).toBe(false);
    expect(await signatureMatches([key], signature, new TextEncoder().encode('{"token":"t","amount":101}'))).toBe(false);
    expect(await signatureMatches([key], signature.toUpperCase(), body)).toBe(false);
    expect(await signatureMatches([key], signature.slice(2), body)).toBe(false);
    expect(await signatureMatches([key], undefined, body)).toBe(false);
  });

  test("during a rotation either key matches", async () => {
    const keys = [await signingKey("new-secret-0123456789abcdefghijklmnopq"), await signingKey(secret)];
    expect(await signatureMatches(keys, await signBody(secret, body), body)).toBe(true);
  });
});

describe("IP allow-list", () => {
  test("empty admits all; exact addresses and IPv4 ranges admit theirs", () => {
    expect(addressAllowed([], "198.51.100.7")).toBe(true);
    const list = ["203.0.113.0/24", "198.51.100.7", "2001:db8::1"];
    expect(addressAllowed(list, "203.0.113.200")).toBe(true);
    expect(addressAllowed(list, "203.0.114.1")).toBe(false);
    expect(addressAllowed(list, "198.51.100.7")).toBe(true);
    expect(addressAllowed(list, "::ffff:198.51.100.7")).toBe(true);
    expect(addressAllowed(list, "2001:DB8::1")).toBe(true);
    expect(addressAllowed(list, "2001:db8::2")).toBe(false);
    expect(addressAllowed(list, undefined)).toBe(false);
    expect(addressAllowed(["0.0.0.0/0"], "8.8.8.8")).toBe(true);
  });

  test("entries are validated when a provider is registered", () => {
    const schema = gameRegistryProtocol.registerProvider.body;
    const base = { code: "prov", name: "Prov", dialect: "standard", by: { staffId: null, username: "test-setup" } };
    expect(schema.safeParse({ ...base, ipAllowList: ["10.0.0.0/8", "::1"] }).success).toBe(true);
    for (const bad of ["10.0.0.0/33", "300.1.1.1", "example.com", "10.0.0.1/8/1"]) {
      expect(schema.safeParse({ ...base, ipAllowList: [bad] }).success).toBe(false);
    }
  });
});

import { describe, expect, test } from "bun:test";
import { Credentials, credentialOptions, type LockoutPolicy, MemoryAttemptCounter } from "../../actors/credentials/index.ts";
import { fail, type Outcome, ok } from "../../actors/runtime/errors.ts";
import { CHEAP_HASH, TestClock } from "../identity/identity-fixture.ts";

const POLICY: Partial<LockoutPolicy> = { maxFailures: 5, slowAfter: 3, backoffMs: 1_000, lockMs: 60_000, maxAddressFailures: 4 };

async function setup(policy: Partial<LockoutPolicy> = POLICY) {
  const clock = new TestClock();
  const credentials = new Credentials(credentialOptions({ cost: CHEAP_HASH, lockout: policy, now: clock.now }), new MemoryAttemptCounter(clock.now));
  const stored = { passwordHash: await Bun.password.hash("the right one", { algorithm: "argon2id", ...CHEAP_HASH }) };
  const attempt = (
    username: string,
    password: string,
    client: { address: string | null; deviceToken?: string },
    lookup: () => Promise<Outcome<typeof stored | null>> = async () => ok(stored),
  ) => credentials.check({ account: { realm: "test", username }, client, password, purpose: "sign-in" }, lookup);
  return { clock, credentials, attempt };
}

const codeOf = (o: Outcome) => (o.ok ? "ok" : o.error.code);
const nowhere = { address: null };

describe("the sign-in throttle", () => {
  test("wrong passwords slow the next attempt, doubling, then lock", async () => {
    const { clock, attempt } = await setup();
    for (let i = 0; i < 3; i++) expect(codeOf(await attempt("kim", "wrong", nowhere))).toBe("invalid_credentials");
    expect(await attempt("kim", "the right one", nowhere)).toMatchObject({ ok: false, error: { code: "rate_limited", details: { retryAfterSeconds: 1 } } });
    clock.advance(1_000);
    expect(await attempt("kim", "wrong", nowhere)).toMatchObject({ ok: false, error: { code: "invalid_credentials", details: { attemptsLeft: 1 } } });
    clock.advance(1_999);
    expect(await attempt("kim", "wrong", nowhere)).toMatchObject({ ok: false, error: { code: "rate_limited", details: { retryAfterSeconds: 1 } } });
    clock.advance(1);
    expect(await attempt("kim", "wrong", nowhere)).toMatchObject({
      ok: false,
      error: { code: "account_locked", details: { lockedUntil: clock.at + 60_000, retryAfterSeconds: 60 } },
    });
    expect(codeOf(await attempt("kim", "the right one", nowhere))).toBe("account_locked");
    clock.advance(60_000);
    expect(codeOf(await attempt("kim", "the right one", nowhere))).toBe("ok");
    // the right password starts the lane over
    expect(await attempt("kim", "wrong", nowhere)).toMatchObject({ error: { details: { attemptsLeft: 4 } } });
  });

  test("a name no account has is answered exactly like a wrong password", async () => {
    const { attempt } = await setup({ ...POLICY, slowAfter: 5 });
    const none = async () => ok(null);
    const known = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      known.push(await attempt("kim", "wrong", nowhere));
      unknown.push(await attempt("nobody", "the right one", nowhere, none));
    }
    expect(unknown).toEqual(known);
  });

  test("a known device or address passes the strangers' lock, and fails in a lane of its own", async () => {
    const { attempt } = await setup({ ...POLICY, slowAfter: 5, maxAddressFailures: 50 });
    const signedIn = await attempt("kim", "the right one", { address: "10.0.0.1" });
    if (!signedIn.ok || !signedIn.value.deviceToken) throw new Error("no device token");
    const device = { address: "198.51.100.1", deviceToken: signedIn.value.deviceToken };
    for (let i = 0; i < 5; i++) await attempt("kim", "a guess", { address: "203.0.113.9" });
    expect(codeOf(await attempt("kim", "the right one", { address: "203.0.113.9" }))).toBe("account_locked");
    expect(codeOf(await attempt("kim", "the right one", { address: "10.0.0.1" }))).toBe("ok");
    expect(await attempt("kim", "the right one", device)).toMatchObject({ ok: true, value: { deviceToken: device.deviceToken } });
    expect(await attempt("kim", "a typo", device)).toMatchObject({ error: { code: "invalid_credentials", details: { attemptsLeft: 4 } } });
    // a device token names its account: elsewhere it is a stranger's
    expect(codeOf(await attempt("lee", "a typo", device))).toBe("invalid_credentials");
    for (let i = 0; i < 5; i++) await attempt("lee", "a guess", { address: "203.0.113.9" });
    expect(codeOf(await attempt("lee", "the right one", device))).toBe("account_locked");
  });

  test("an address that keeps failing, across accounts, waits out the window; other addresses and known clients do not", async () => {
    const { attempt } = await setup({ ...POLICY, slowAfter: 5 });
    expect(codeOf(await attempt("home", "the right one", { address: "203.0.113.7" }))).toBe("ok");
    for (const name of ["a1", "a2", "a3", "a4"]) expect(codeOf(await attempt(name, "a guess", { address: "203.0.113.7" }))).toBe("invalid_credentials");
    expect(await attempt("a5", "a guess", { address: "203.0.113.7" })).toMatchObject({ ok: false, error: { code: "rate_limited", details: { retryAfterSeconds: 900 } } });
    expect(codeOf(await attempt("a5", "a guess", { address: "203.0.113.8" }))).toBe("invalid_credentials");
    expect(codeOf(await attempt("home", "the right one", { address: "203.0.113.7" }))).toBe("ok");
  });

  test("an attempt whose password was never checked does not count", async () => {
    const { attempt } = await setup();
    expect(codeOf(await attempt("kim", "wrong", nowhere))).toBe("invalid_credentials");
    expect(await attempt("kim", "wrong", nowhere, async () => fail("timeout", "no answer"))).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect(await attempt("kim", "wrong", nowhere)).toMatchObject({ error: { details: { attemptsLeft: 3 } } });
  });

  test("unlock lifts the strangers' lock; lockedUntil reports it", async () => {
    const { clock, credentials, attempt } = await setup({ ...POLICY, slowAfter: 5 });
    for (let i = 0; i < 5; i++) await attempt("kim", "wrong", nowhere);
    const account = { realm: "test", username: "kim" };
    expect(await credentials.throttle.lockedUntil([account, { realm: "test", username: "lee" }])).toEqual([clock.at + 60_000, null]);
    await credentials.throttle.unlock(account);
    expect(await credentials.throttle.lockedUntil([account])).toEqual([null]);
    expect(codeOf(await attempt("kim", "the right one", nowhere))).toBe("ok");
  });
});

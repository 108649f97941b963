import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { confirmPassword, hashPassword, type LogInInput, logIn, playerProtocol, refreshSession, registerPlayer } from "../../actors/player/index.ts";
import { fakeIssuer, newPlayer, outboxTypes, playerSystem } from "./player-system.ts";

/** A log-in from a client the account does not know (no address, no device token). */
const stranger = (input: { username: string; password: string }): LogInInput => ({ username: input.username, password: input.password, client: { address: null } });

describe("player auth", () => {
  test("registers, logs in, and writes player.registered and player.logged_in to the outbox", async () => {
    await using p = await playerSystem();
    const input = newPlayer();
    const registered = await registerPlayer(p.auth(), input);
    expect(registered).toMatchObject({ ok: true, value: { username: input.username, nickname: input.nickname } });
    const signedIn = await logIn(p.auth(), stranger({ username: input.username.toUpperCase(), password: input.password }), fakeIssuer);
    expect(signedIn.ok).toBe(true);
    if (!signedIn.ok) return;
    expect(signedIn.value.player.username).toBe(input.username);
    expect(signedIn.value.refreshToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(outboxTypes(p.shard())).toEqual(["player.registered", "player.logged_in"]);
    const stored = p.shard().sqlite.query("select password_hash from players").get() as { password_hash: string };
    expect(stored.password_hash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
  });

  test("usernames are unique per brand, not across brands", async () => {
    await using p = await playerSystem({ brands: 2 });
    const input = newPlayer();
    expect((await registerPlayer(p.auth(p.brands[0]!), input)).ok).toBe(true);
    const again = await registerPlayer(p.auth(p.brands[0]!), { ...input, nickname: "othernick" });
    expect(again).toMatchObject({ ok: false, error: { code: "username_taken" } });
    expect((await registerPlayer(p.auth(p.brands[1]!), input)).ok).toBe(true);
    // and a login at brand B does not find brand A's password
    const other = await logIn(p.auth(p.brands[1]!), stranger({ username: input.username, password: "not the same pw" }), fakeIssuer);
    expect(other).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
  });

  test("a referral code links the new player to the referrer", async () => {
    await using p = await playerSystem();
    const first = await registerPlayer(p.auth(), newPlayer());
    if (!first.ok) throw new Error("register failed");
    const profile = await p.system.ask<{ referralCode: string }>(`player@${p.brand}`, "profile", { playerId: first.value.id });
    const second = await registerPlayer(p.auth(), newPlayer({ code: profile.referralCode.toLowerCase() }));
    if (!second.ok) throw new Error("register failed");
    const row = p.shard().sqlite.query("select referred_by, signup_code from players where id = ?").get(second.value.id) as Record<string, string>;
    expect(row.referred_by).toBe(first.value.id);
  });

  test("wrong passwords lock strangers out until the lock ends; the actor keeps no lock of its own", async () => {
    let now = Date.now();
    await using p = await playerSystem({ clock: () => now, credentials: { lockout: { maxFailures: 5, slowAfter: 5, lockMs: 60_000 } } });
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const wrong = stranger({ username: input.username, password: "wrong password" });
    const attempts = [];
    for (let i = 0; i < 5; i++) attempts.push(await logIn(p.auth(), wrong, fakeIssuer));
    expect(attempts.map((a) => (a.ok ? "ok" : a.error.code))).toEqual([...Array(4).fill("invalid_credentials"), "account_locked"]);
    expect(attempts[3]).toMatchObject({ ok: false, error: { details: { attemptsLeft: 1 } } });
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false, error: { code: "account_locked", details: { lockedUntil: now + 60_000 } } });
    now += 60_001;
    expect((await logIn(p.auth(), stranger(input), fakeIssuer)).ok).toBe(true);
    expect(p.shard().sqlite.query("select failed_logins, locked_until from players where username = ?").get(input.username)).toEqual({ failed_logins: 0, locked_until: null });
  });

  test("parallel wrong guesses cannot outrun the lock", async () => {
    await using p = await playerSystem({ credentials: { lockout: { maxFailures: 3, slowAfter: 3, lockMs: 60_000 } } });
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const attempts = await Promise.all(Array.from({ length: 6 }, () => logIn(p.auth(), stranger({ username: input.username, password: "guess guess" }), fakeIssuer)));
    expect(attempts.map((a) => (a.ok ? "ok" : a.error.code)).sort()).toEqual([
      "account_locked",
      "invalid_credentials",
      "invalid_credentials",
      "rate_limited",
      "rate_limited",
      "rate_limited",
    ]);
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false, error: { code: "account_locked" } });
  });

  test("the log-in's device token lets its device in while strangers are locked out", async () => {
    await using p = await playerSystem({ credentials: { lockout: { maxFailures: 3, slowAfter: 3 } } });
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const first = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!first.ok || !first.value.deviceToken) throw new Error("login failed or no device token");
    for (let i = 0; i < 3; i++) await logIn(p.auth(), stranger({ username: input.username, password: "a guess!" }), fakeIssuer);
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false, error: { code: "account_locked" } });
    const known = await logIn(p.auth(), { ...stranger(input), client: { address: null, deviceToken: first.value.deviceToken } }, fakeIssuer);
    expect(known).toMatchObject({ ok: true, value: { deviceToken: first.value.deviceToken } });
  });

  test("a wrong current password counts toward the same lockout as a wrong log-in", async () => {
    await using p = await playerSystem({ credentials: { lockout: { maxFailures: 3, slowAfter: 3 } } });
    const input = newPlayer();
    const registered = await registerPlayer(p.auth(), input);
    if (!registered.ok) throw new Error("register failed");
    for (let i = 0; i < 3; i++) await confirmPassword(p.auth(), registered.value.id, "not the current one", { address: null });
    expect(await confirmPassword(p.auth(), registered.value.id, input.password, { address: null })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false, error: { code: "account_locked" } });
  });

  test("a suspended player is refused at login and refresh, and existing sessions end", async () => {
    await using p = await playerSystem();
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const signedIn = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!signedIn.ok) throw new Error("login failed");
    const { player, accessToken: jti, refreshToken } = signedIn.value;
    await p.system.ask(`player@${p.brand}`, "suspend", { playerId: player.id, reason: "chargeback", by: { staffId: "staff-1", username: "kim" } });
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false, error: { code: "account_suspended" } });
    expect(await p.system.askOutcome(`player@${p.brand}`, "sessionCheck", { playerId: player.id, jti })).toMatchObject({ ok: false });
    expect(await refreshSession(p.players(), refreshToken, fakeIssuer)).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    expect(outboxTypes(p.shard())).toContain("player.suspended");
    await p.system.ask(`player@${p.brand}`, "reinstate", { playerId: player.id, by: { staffId: "staff-1", username: "kim" } });
    expect((await logIn(p.auth(), stranger(input), fakeIssuer)).ok).toBe(true);
  });

  test("refresh rotates; reusing a rotated token ends the whole session", async () => {
    await using p = await playerSystem();
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const first = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!first.ok) throw new Error("login failed");
    const second = await refreshSession(p.players(), first.value.refreshToken, fakeIssuer);
    if (!second.ok) throw new Error("refresh failed");
    expect(second.value.refreshToken).not.toBe(first.value.refreshToken);
    expect(second.value.sessionId).toBe(first.value.sessionId);
    const check = (jti: string) => p.system.askOutcome(`player@${p.brand}`, "sessionCheck", { playerId: first.value.player.id, jti });
    expect((await check(first.value.accessToken)).ok).toBe(true);
    const replayed = await refreshSession(p.players(), first.value.refreshToken, fakeIssuer);
    expect(replayed).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    // the thief replayed the old one; the newest one dies with the family
    expect(await refreshSession(p.players(), second.value.refreshToken, fakeIssuer)).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    expect(outboxTypes(p.shard())).toContain("player.refresh_reused");
    expect((await check(second.value.accessToken)).ok).toBe(false);
  });

  test("an expired or unknown refresh token is refused; logout revokes the session", async () => {
    let now = Date.now();
    await using p = await playerSystem({ clock: () => now });
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    expect(await refreshSession(p.players(), `${crypto.randomUUID()}.${"x".repeat(43)}`, fakeIssuer)).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    expect(await refreshSession(p.players(), "short", fakeIssuer)).toMatchObject({ ok: false, error: { code: "invalid_token" } });
    const a = await logIn(p.auth(), stranger(input), fakeIssuer);
    const b = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!a.ok || !b.ok) throw new Error("login failed");
    now += 15 * 24 * 60 * 60_000;
    expect(await refreshSession(p.players(), a.value.refreshToken, fakeIssuer)).toMatchObject({ ok: false, error: { code: "token_expired" } });
    const address = `player@${p.brand}`;
    expect(await p.system.ask(address, "logout", { playerId: b.value.player.id, jti: b.value.accessToken })).toEqual({ loggedOut: true });
    expect(await p.system.askOutcome(address, "sessionCheck", { playerId: b.value.player.id, jti: b.value.accessToken })).toMatchObject({
      ok: false,
      error: { code: "invalid_token" },
    });
  });

  test("a password change voids logins decided against the old hash and ends other sessions", async () => {
    await using p = await playerSystem();
    const input = newPlayer();
    await registerPlayer(p.auth(), input);
    const kept = await logIn(p.auth(), stranger(input), fakeIssuer);
    const other = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!kept.ok || !other.ok) throw new Error("login failed");
    const playerId = kept.value.player.id;
    const address = `player@${p.brand}`;
    const confirmed = await confirmPassword(p.auth(), playerId, input.password, { address: null });
    if (!confirmed.ok) throw new Error("confirm failed");
    expect(await confirmPassword(p.auth(), playerId, "not it at all", { address: null })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    await p.system.ask(address, "changePassword", {
      playerId,
      passwordVersion: confirmed.value.passwordVersion,
      passwordHash: await hashPassword("brand new pw"),
      keepJti: kept.value.accessToken,
    });
    expect((await p.system.askOutcome(address, "sessionCheck", { playerId, jti: kept.value.accessToken })).ok).toBe(true);
    expect((await p.system.askOutcome(address, "sessionCheck", { playerId, jti: other.value.accessToken })).ok).toBe(false);
    const stale = await p.system.askOutcome(address, "loginResult", {
      playerId,
      passwordVersion: confirmed.value.passwordVersion,
      session: { sessionId: crypto.randomUUID(), refreshTokenHash: "a".repeat(64), expiresAt: Date.now() + 1000, accessJti: crypto.randomUUID() },
    });
    expect(stale).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(await logIn(p.auth(), stranger(input), fakeIssuer)).toMatchObject({ ok: false });
    expect((await logIn(p.auth(), stranger({ username: input.username, password: "brand new pw" }), fakeIssuer)).ok).toBe(true);
  });

  test("no password or raw refresh token is ever written to the shard", async () => {
    await using p = await playerSystem();
    const input = newPlayer({ password: "Sup3r-Secret-Pw" });
    await registerPlayer(p.auth(), input);
    const signedIn = await logIn(p.auth(), stranger(input), fakeIssuer);
    if (!signedIn.ok) throw new Error("login failed");
    const refreshed = await refreshSession(p.players(), signedIn.value.refreshToken, fakeIssuer);
    if (!refreshed.ok) throw new Error("refresh failed");
    p.shard().sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(p.shard().path, "latin1");
    for (const secret of [input.password, signedIn.value.refreshToken, refreshed.value.refreshToken]) expect(bytes.includes(secret)).toBe(false);
    const journal = p.shard().sqlite.query("select outcome from actor_journal").all() as { outcome: string }[];
    expect(journal.some((j) => j.outcome.includes("$argon2"))).toBe(false);
  });

  test("the protocol refuses SQL-looking and oversized fields", () => {
    const base = { passwordHash: "$argon2id$v=19$x", phone: "010-1234-5678", bank: { name: "Kookmin", account: "123-456", holder: "Hong" } };
    for (const bad of [
      { username: "a' OR '1'='1", nickname: "nick" },
      { username: "robert", nickname: "x'); DROP TABLE players;--" },
      { username: "u".repeat(21), nickname: "nick" },
      { username: "robert", nickname: "n".repeat(17) },
    ]) {
      expect(playerProtocol.register.body.safeParse({ ...base, ...bad }).success).toBe(false);
    }
    expect(playerProtocol.register.body.safeParse({ ...base, username: "robert", nickname: "홍길동" }).success).toBe(true);
  });
});

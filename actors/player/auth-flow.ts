import type { Client } from "../runtime/client.ts";
import { fail, ok, type Outcome } from "../runtime/errors.ts";
import type { BankAccount } from "./fields.ts";
import type { PlayerProtocol } from "./messages.ts";
import { hashingSlots } from "./hashing-slots.ts";

/**
 * The caller's half of sign-up and log-in, run on the edge's event loop, never in a turn.
 *
 * Why split: an argon2id hash or verify at the cost below takes ~15-30 ms of CPU (measured
 * in bench/login.ts). `player@brand` is one mailbox per brand; hashing inside its turn would
 * queue every other player of the brand behind each login. So the edge asks the actor for
 * the stored hash (a read), verifies it here (Bun.password runs it off the JS thread), and
 * tells the actor the verdict; the actor re-checks lockout, suspension and the password
 * version in its own short turn. Refresh tokens are minted and hashed here too, so only
 * their sha-256 digests ever reach the mailbox, the journal or the shard.
 */

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_COST = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;
export const REFRESH_TTL_MS = 14 * 24 * 60 * 60_000;

/** The player actor of the brand the flow runs for. */
export type Players = Client<PlayerProtocol>;
/** Signs an access token for a player (the edge's signer); `jti` binds it to the session. */
export type AccessIssuer = (playerId: string) => Promise<{ token: string; jti: string }>;
export type SignedIn = { player: { id: string; username: string; nickname: string }; sessionId: string; accessToken: string; refreshToken: string };

export const hashPassword = (password: string) => Bun.password.hash(password, PASSWORD_COST);

/** A verify that waits for a hashing slot; `overloaded` when the line is full. */
const verifyPassword = (password: string, hash: string) => hashingSlots.run(() => Bun.password.verify(password, hash));

export function sha256Hex(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}

/** `<player id>.<32 random bytes>`: the id lets the edge sign the next access token before asking. */
export function mintRefreshToken(playerId: string, now = Date.now()) {
  const token = `${playerId}.${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")}`;
  return { token, refreshTokenHash: sha256Hex(token), expiresAt: now + REFRESH_TTL_MS };
}

const REFRESH_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

// spent on unknown usernames, so a miss costs what a wrong password costs
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(crypto.randomUUID()));

export type Registration = { username: string; password: string; nickname: string; phone: string; bank: BankAccount; code?: string };

export async function registerPlayer(players: Players, input: Registration) {
  const { password, ...rest } = input;
  const hashed = await hashingSlots.run(() => hashPassword(password));
  if (!hashed.ok) return hashed;
  return players.register({ ...rest, passwordHash: hashed.value });
}

export async function logIn(players: Players, input: { username: string; password: string }, issueAccess: AccessIssuer): Promise<Outcome<SignedIn>> {
  const challenge = await players.loginChallenge({ username: input.username });
  if (!challenge.ok) {
    if (challenge.error.code === "invalid_credentials") await verifyPassword(input.password, await decoy());
    return challenge;
  }
  const { playerId, passwordHash, passwordVersion } = challenge.value;
  const verified = await verifyPassword(input.password, passwordHash);
  if (!verified.ok) return verified;
  const succeeded = verified.value;
  const sessionId = crypto.randomUUID();
  const { token: refreshToken, ...tokens } = mintRefreshToken(playerId);
  const access = await issueAccess(playerId);
  const verdict = await players.loginResult({ playerId, passwordVersion, succeeded, session: { sessionId, ...tokens, accessJti: access.jti } }, { id: `login:${sessionId}` });
  if (!verdict.ok) return verdict;
  const v = verdict.value;
  if (v.status === "failed") return fail("invalid_credentials", "wrong username or password", { attemptsLeft: v.attemptsLeft });
  if (v.status === "locked") return fail("account_locked", `too many failed logins; try again after ${new Date(v.lockedUntil).toISOString()}`, { lockedUntil: v.lockedUntil });
  return ok({ player: v.player, sessionId: v.sessionId, accessToken: access.token, refreshToken });
}

export async function refreshSession(players: Players, refreshToken: string, issueAccess: AccessIssuer): Promise<Outcome<SignedIn>> {
  const playerId = REFRESH_TOKEN.exec(refreshToken)?.[1];
  if (!playerId) return fail("invalid_token", "malformed refresh token; log in again");
  const { token: nextToken, ...next } = mintRefreshToken(playerId);
  const access = await issueAccess(playerId);
  const rotated = await players.refresh({ playerId, tokenHash: sha256Hex(refreshToken), next: { ...next, accessJti: access.jti } }, { id: `refresh:${next.refreshTokenHash}` });
  if (!rotated.ok) return rotated;
  if (rotated.value.status === "reused") {
    return fail("invalid_token", "this refresh token was already used, so the session was ended for safety; log in again");
  }
  return ok({ player: rotated.value.player, sessionId: rotated.value.sessionId, accessToken: access.token, refreshToken: nextToken });
}
/** For changes that need the current password (bank account, password): its version if right. */
export async function confirmPassword(players: Players, playerId: string, password: string): Promise<Outcome<{ passwordVersion: number }>> {
  const stored = await players.credentials({ playerId });
  if (!stored.ok) return stored;
  const verified = await verifyPassword(password, stored.value.passwordHash);
  if (!verified.ok) return verified;
  if (!verified.value) return fail("invalid_credentials", "the current password is wrong");
  return ok({ passwordVersion: stored.value.passwordVersion });
}

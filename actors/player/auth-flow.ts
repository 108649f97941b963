import { type ClientRef, type Credentials, hashingSlots, PASSWORD_COST, playerRealm } from "../credentials/index.ts";
import type { Client } from "../runtime/client.ts";
import { fail, type Outcome, ok, PlatformError } from "../runtime/errors.ts";
import { type BankAccount, usernameSchema } from "./fields.ts";
import type { PlayerProtocol } from "./messages.ts";

/**
 * The caller's half of sign-up, log-in and password checks, run on the edge's event loop,
 * never in a turn.
 *
 * Why split: an argon2id hash or verify costs ~15-30 ms of CPU (measured in bench/login.ts).
 * `player@brand` is one mailbox per brand; hashing inside its turn would queue every other
 * player of the brand behind each login. So the edge asks the actor for the stored hash (a
 * read), verifies it here in the node's hashing line (the credentials module, which also
 * throttles wrong passwords), and tells the actor the verdict; the actor re-checks suspension
 * and the password version in its own short turn. Refresh tokens are minted and hashed here
 * too, so only their sha-256 digests ever reach the mailbox, the journal or the shard.
 */

export const REFRESH_TTL_MS = 14 * 24 * 60 * 60_000;

/** The player actor of the brand the flow runs for. */
export type Players = Client<PlayerProtocol>;
/** What a flow needs: the brand's player actor, the node's credentials, and the brand (its players' realm). */
export type PlayerAuth = { players: Players; credentials: Credentials; brand: string };
/** Signs an access token for a player (the edge's signer); `jti` binds it to the session. */
export type AccessIssuer = (playerId: string) => Promise<{ token: string; jti: string }>;
export type SignedIn = {
  player: { id: string; username: string; nickname: string };
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** after a log-in: the token that makes this device known to the account (send it with the next log-in) */
  deviceToken: string | null;
};

/**
 * An argon2id hash at the default cost, in the node's hashing line (`overloaded` when full).
 * Routes with an EdgeContext hash through `ctx.credentials.hash`, at the node's cost.
 */
export async function hashPassword(password: string): Promise<string> {
  const hashed = await hashingSlots.run(() => Bun.password.hash(password, { algorithm: "argon2id", ...PASSWORD_COST }));
  if (!hashed.ok) throw PlatformError.from(hashed.error);
  return hashed.value;
}

export function sha256Hex(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}

/** `<player id>.<32 random bytes>`: the id lets the edge sign the next access token before asking. */
export function mintRefreshToken(playerId: string, now = Date.now()) {
  const token = `${playerId}.${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")}`;
  return { token, refreshTokenHash: sha256Hex(token), expiresAt: now + REFRESH_TTL_MS };
}

const REFRESH_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;

/** The player a refresh token names (its prefix), for per-account limits; null when it is not one. */
export function refreshTokenPlayer(refreshToken: string): string | null {
  return REFRESH_TOKEN.exec(refreshToken)?.[1] ?? null;
}

export type Registration = { username: string; password: string; nickname: string; phone: string; bank: BankAccount; code?: string };

export async function registerPlayer(auth: Pick<PlayerAuth, "players" | "credentials">, input: Registration) {
  const { password, ...rest } = input;
  const hashed = await auth.credentials.hash(password);
  if (!hashed.ok) return hashed;
  return auth.players.register({ ...rest, passwordHash: hashed.value });
}

export type LogInInput = { username: string; password: string; client: ClientRef };

export async function logIn(auth: PlayerAuth, input: LogInInput, issueAccess: AccessIssuer): Promise<Outcome<SignedIn>> {
  const name = usernameSchema.safeParse(input.username);
  if (!name.success) return fail("validation_failed", `username: ${name.error.issues[0]!.message}`);
  const username = name.data;
  const checked = await auth.credentials.check({ account: { realm: playerRealm(auth.brand), username }, client: input.client, password: input.password, purpose: "sign-in" }, () =>
    auth.players.loginChallenge({ username }),
  );
  if (!checked.ok) return checked;
  const { playerId, passwordVersion } = checked.value.stored;
  const sessionId = crypto.randomUUID();
  const { token: refreshToken, ...tokens } = mintRefreshToken(playerId);
  const access = await issueAccess(playerId);
  const opened = await auth.players.loginResult({ playerId, passwordVersion, session: { sessionId, ...tokens, accessJti: access.jti } }, { id: `login:${sessionId}` });
  if (!opened.ok) return opened;
  return ok({ player: opened.value.player, sessionId, accessToken: access.token, refreshToken, deviceToken: checked.value.deviceToken });
}

export async function refreshSession(players: Players, refreshToken: string, issueAccess: AccessIssuer): Promise<Outcome<SignedIn>> {
  const playerId = refreshTokenPlayer(refreshToken);
  if (!playerId) return fail("invalid_token", "malformed refresh token; log in again");
  const { token: nextToken, ...next } = mintRefreshToken(playerId);
  const access = await issueAccess(playerId);
  const rotated = await players.refresh({ playerId, tokenHash: sha256Hex(refreshToken), next: { ...next, accessJti: access.jti } }, { id: `refresh:${next.refreshTokenHash}` });
  if (!rotated.ok) return rotated;
  if (rotated.value.status === "reused") {
    return fail("invalid_token", "this refresh token was already used, so the session was ended for safety; log in again");
  }
  return ok({ player: rotated.value.player, sessionId: rotated.value.sessionId, accessToken: access.token, refreshToken: nextToken, deviceToken: null });
}

/**
 * For changes that need the current password (bank account, password): its version if right.
 * A wrong one counts toward the same lockout as a wrong log-in of the account.
 */
export async function confirmPassword(auth: PlayerAuth, playerId: string, password: string, client: ClientRef): Promise<Outcome<{ passwordVersion: number }>> {
  const stored = await auth.players.credentials({ playerId });
  if (!stored.ok) return stored;
  const account = { realm: playerRealm(auth.brand), username: stored.value.username };
  const checked = await auth.credentials.check({ account, client, password, purpose: "confirm" }, async () => stored);
  return checked.ok ? ok({ passwordVersion: checked.value.stored.passwordVersion }) : checked;
}

/** The player's own password change: the current one confirmed, the new one hashed; the session `keepJti` belongs to stays. */
export async function changeOwnPassword(
  auth: PlayerAuth,
  player: { id: string; jti: string },
  change: { currentPassword: string; newPassword: string },
  client: ClientRef,
): Promise<Outcome<{ passwordVersion: number }>> {
  const confirmed = await confirmPassword(auth, player.id, change.currentPassword, client);
  if (!confirmed.ok) return confirmed;
  const hashed = await auth.credentials.hash(change.newPassword);
  if (!hashed.ok) return hashed;
  return auth.players.changePassword({ playerId: player.id, passwordVersion: confirmed.value.passwordVersion, passwordHash: hashed.value, keepJti: player.jti });
}

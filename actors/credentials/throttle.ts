import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { AttemptCounter, AttemptWindow } from "./attempts.ts";
import type { LockoutPolicy } from "./options.ts";

/** An account by name within its realm (`staff`, `player:<brand>`), whether or not it exists. */
export type AccountRef = { realm: string; username: string };
/** Who is trying: the address the socket saw and the device token a sign-in handed out earlier. */
export type ClientRef = { address: string | null; deviceToken?: string | null };

/** A device token as handed out: 32 random bytes, base64url. */
export const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The counters of one lane: failures in the window, the wait before the next try, the lock. */
type Lane = { failures: string; slow: string; lock: string };

/** An attempt let through, with the keys its outcome counts under. */
export type Admitted = {
  account: AccountRef;
  lane: Lane;
  /** this attempt's number in the lane's window: counted on admission, forgiven by the right password */
  attempt: number;
  failuresFromAddress: string | null;
  knownAddress: string | null;
  /** the presented device token, when the account knows it */
  knownDevice: string | null;
};

const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest("hex");
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const accountKey = (a: AccountRef) => `${a.realm}:${a.username}`;
const laneOf = (name: string): Lane => ({ failures: `failures:${name}`, slow: `slow:${name}`, lock: `lock:${name}` });
const laneKeys = (lane: Lane) => [lane.failures, lane.slow, lane.lock];
const deviceName = (account: string, token: string) => `${account}:device:${sha256(token)}`;
const addressName = (account: string, address: string) => `${account}:address:${address}`;

/**
 * The lockout policy over shared counters. Before a password is checked, `admit` picks the
 * attempt's lane (the device or address the account knows, else the strangers' lane),
 * refuses it while that lane is locked or slowed or a stranger's address has failed too
 * often, and counts it as a failure in advance, so parallel guesses cannot outrun the lock;
 * `failed` locks or slows the lane, `succeeded` forgives it, `abandon` takes back an attempt
 * whose password was never checked. Nothing here depends on whether the account exists, so
 * an unknown name is answered exactly like a known one.
 */
export class SignInThrottle {
  constructor(
    private counter: AttemptCounter,
    private policy: LockoutPolicy,
    private now: () => number,
  ) {}

  async admit(account: AccountRef, client: ClientRef): Promise<Outcome<Admitted>> {
    const name = accountKey(account);
    const device = client.deviceToken && DEVICE_TOKEN.test(client.deviceToken) ? deviceName(name, client.deviceToken) : null;
    const address = client.address ? addressName(name, client.address) : null;
    const failuresFromAddress = client.address ? `failures-from:${client.address}` : null;
    const [known, windows] = await Promise.all([
      this.peek({ device: device && `known:${device}`, address: address && `known:${address}`, fromAddress: failuresFromAddress }),
      this.peek({ ...laneProbe("stranger", name), ...laneProbe("device", device), ...laneProbe("address", address) }),
    ]);
    const trusted = known.device.count > 0 ? "device" : known.address.count > 0 ? "address" : "stranger";
    const lock = windows[`${trusted}.lock`]!;
    const slow = windows[`${trusted}.slow`]!;
    if (lock.count > 0) return this.locked(lock.resetInMs);
    if (slow.count > 0) return this.slowed("too many wrong passwords", slow.resetInMs);
    if (trusted === "stranger" && known.fromAddress.count >= this.policy.maxAddressFailures)
      return this.slowed("too many wrong passwords from this address", known.fromAddress.resetInMs);
    const lane = laneOf({ stranger: name, device, address }[trusted]!);
    const { count } = await this.counter.hit(lane.failures, this.policy.failureWindowMs);
    if (count > this.policy.maxFailures) {
      // the lane's last attempts are still being checked: the lock, if any, follows at once
      await this.counter.hit(lane.failures, this.policy.failureWindowMs, -1);
      return this.slowed("too many sign-in attempts at once", 1000);
    }
    return ok({ account, lane, attempt: count, failuresFromAddress, knownAddress: address && `known:${address}`, knownDevice: trusted === "device" ? client.deviceToken! : null });
  }

  /** A wrong password: `invalid_credentials` with the attempts left, or `account_locked` when it locks the lane. */
  async failed(a: Admitted, message: string): Promise<Outcome<never>> {
    const p = this.policy;
    if (a.failuresFromAddress) await this.counter.hit(a.failuresFromAddress, p.failureWindowMs);
    if (a.attempt >= p.maxFailures) {
      const lock = await this.counter.hit(a.lane.lock, p.lockMs);
      await this.counter.clear([a.lane.failures, a.lane.slow]);
      return this.locked(lock.resetInMs);
    }
    if (p.backoffMs > 0 && a.attempt >= p.slowAfter) await this.counter.hit(a.lane.slow, p.backoffMs * 2 ** (a.attempt - p.slowAfter));
    return fail("invalid_credentials", message, { attemptsLeft: p.maxFailures - a.attempt });
  }

  /** The password was never checked (the lookup or the hashing line failed): the attempt does not count. */
  async abandon(a: Admitted): Promise<void> {
    await this.counter.hit(a.lane.failures, this.policy.failureWindowMs, -1);
  }

  /** The right password: the lane starts over and the address becomes known; with `remember`, a device token for later sign-ins. */
  async succeeded(a: Admitted, remember: boolean): Promise<string | null> {
    await this.counter.clear([a.lane.failures, a.lane.slow]);
    if (a.knownAddress) await this.counter.hit(a.knownAddress, this.policy.knownClientMs);
    if (!remember) return null;
    if (a.knownDevice) return a.knownDevice;
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    await this.counter.hit(`known:${deviceName(accountKey(a.account), token)}`, this.policy.knownClientMs);
    return token;
  }

  /** Lift the strangers' lane of `account` (an admin's unlock, a password reset). */
  unlock(account: AccountRef): Promise<void> {
    return this.counter.clear(laneKeys(laneOf(accountKey(account))));
  }

  /** Until when each account's strangers' lane is locked (epoch ms), or null. */
  async lockedUntil(accounts: readonly AccountRef[]): Promise<(number | null)[]> {
    const windows = await this.counter.peek(accounts.map((a) => laneOf(accountKey(a)).lock));
    const now = this.now();
    return windows.map((w) => (w.count > 0 ? now + w.resetInMs : null));
  }

  /** The windows of named keys; a null key counts as never hit. */
  private async peek<K extends string>(keys: Record<K, string | null>): Promise<Record<K, AttemptWindow>> {
    const names = Object.keys(keys) as K[];
    const present = names.filter((n) => keys[n] !== null);
    const windows = await this.counter.peek(present.map((n) => keys[n]!));
    const seen = Object.fromEntries(names.map((n) => [n, { count: 0, resetInMs: 0 }])) as Record<K, AttemptWindow>;
    for (const [i, n] of present.entries()) seen[n] = windows[i]!;
    return seen;
  }

  private locked(resetInMs: number): Outcome<never> {
    const lockedUntil = this.now() + resetInMs;
    return fail("account_locked", `too many wrong passwords; try again after ${new Date(lockedUntil).toISOString()}`, { lockedUntil, retryAfterSeconds: seconds(resetInMs) });
  }

  private slowed(why: string, resetInMs: number): Outcome<never> {
    const wait = seconds(resetInMs);
    return fail("rate_limited", `${why}; try again in ${wait} s`, { retryAfterSeconds: wait });
  }
}

/** The lane keys of `name` under `<lane>.<counter>` names, for `peek`; none when there is no such lane. */
function laneProbe(lane: string, name: string | null): Record<string, string | null> {
  const keys = name === null ? null : laneOf(name);
  return { [`${lane}.failures`]: keys?.failures ?? null, [`${lane}.slow`]: keys?.slow ?? null, [`${lane}.lock`]: keys?.lock ?? null };
}

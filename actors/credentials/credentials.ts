import { type Outcome, ok } from "../runtime/errors.ts";
import type { AttemptCounter } from "./attempts.ts";
import { type HashingSlots, hashingSlots } from "./hashing-slots.ts";
import type { CredentialOptions, LockoutPolicy } from "./options.ts";
import { type AccountRef, type Admitted, type ClientRef, SignInThrottle } from "./throttle.ts";

/** A password to check against what an account stores (looked up only once the attempt is admitted). */
export type PasswordAttempt = {
  account: AccountRef;
  client: ClientRef;
  password: string;
  /** a sign-in hands out a device token; a confirmation of the current password does not */
  purpose: "sign-in" | "confirm";
};
export type Verified<T> = { stored: T; deviceToken: string | null };

const WRONG = { "sign-in": "wrong username or password", confirm: "the current password is wrong" } as const;

/**
 * Passwords for players and staff alike: argon2id at one cost, every hash and verify in the
 * node's hashing line (never in an actor's turn), the decoy an unknown name is verified
 * against, and the sign-in throttle. Callers look the stored hash up through their actor.
 */
export class Credentials {
  readonly throttle: SignInThrottle;
  private decoyHash: Promise<string> | undefined;

  constructor(
    private options: CredentialOptions,
    attempts: AttemptCounter,
    private slots: HashingSlots = hashingSlots,
  ) {
    this.throttle = new SignInThrottle(attempts, options.lockout, options.now);
  }

  get lockout(): LockoutPolicy {
    return this.options.lockout;
  }

  /** An argon2id hash at the node's cost; `overloaded` when the hashing line is full. */
  hash(password: string): Promise<Outcome<string>> {
    return this.slots.run(() => Bun.password.hash(password, { algorithm: "argon2id", ...this.options.cost }));
  }

  /**
   * Admit, look up, verify, count: the whole check of one password. Refusals: `rate_limited`
   * and `account_locked` (throttled, before any lookup), `invalid_credentials` with
   * `attemptsLeft`, `overloaded`, and whatever the lookup answers. `null` from the lookup (no
   * such account) is checked against the decoy and counted like a wrong password.
   */
  async check<T extends { passwordHash: string }>(attempt: PasswordAttempt, lookup: () => Promise<Outcome<T | null>>): Promise<Outcome<Verified<T>>> {
    const admitted = await this.throttle.admit(attempt.account, attempt.client);
    if (!admitted.ok) return admitted;
    const stored = await lookup();
    if (!stored.ok) {
      await this.throttle.abandon(admitted.value);
      return stored;
    }
    return this.verify(admitted.value, attempt, stored.value);
  }

  /** The second half of `check`, for callers that tell a throttled attempt from a wrong password (and `abandon` it when their lookup fails). */
  async verify<T extends { passwordHash: string }>(admitted: Admitted, attempt: PasswordAttempt, stored: T | null): Promise<Outcome<Verified<T>>> {
    // an unknown name costs what a wrong password costs, so timing tells no names
    const hash = stored?.passwordHash ?? (await this.decoy());
    const verified = await this.slots.run(() => Bun.password.verify(attempt.password, hash));
    if (!verified.ok) {
      await this.throttle.abandon(admitted);
      return verified;
    }
    if (!verified.value || stored === null) return this.throttle.failed(admitted, WRONG[attempt.purpose]);
    const deviceToken = await this.throttle.succeeded(admitted, attempt.purpose === "sign-in");
    return ok({ stored, deviceToken });
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= Bun.password.hash(crypto.randomUUID(), { algorithm: "argon2id", ...this.options.cost });
    return this.decoyHash;
  }
}

/** A temporary password (an admin's reset): 16 characters of base64url, shown once, changed at the next sign-in. */
export function temporaryPassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");
}

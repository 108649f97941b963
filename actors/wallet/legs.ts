import type { Account } from "./ledger.ts";

/** One side of a transaction: what it adds to (or, negative, takes from) an account. */
export type Leg = { account: Account; amount: bigint };

/** What a balance column (int8) holds. */
const BALANCE_MIN = -(2n ** 63n);
const BALANCE_MAX = 2n ** 63n - 1n;

/** A transaction whose legs would take a balance past what its column holds: refused, nothing moved. */
export class BalanceRangeError extends Error {
  constructor(
    readonly account: Account,
    readonly balanceAfter: bigint,
  ) {
    super(`the ${account.ownerKind} ${account.type} balance would reach ${balanceAfter}, past what a balance can hold`);
    this.name = "BalanceRangeError";
  }
}

/**
 * The legs of one transaction (those that move money): they sum to zero, touch each account
 * once, and leave every balance within its column. A bug throws; a balance out of range is
 * the command's refusal (BalanceRangeError).
 */
export function checkLegs(legs: Leg[]) {
  let sum = 0n;
  // a transaction has two or three legs: comparing them pairwise is cheaper than a set
  legs.forEach((leg, i) => {
    sum += leg.amount;
    for (let j = 0; j < i; j++) if (legs[j]!.account.id === leg.account.id) throw new Error(`wallet bug: two legs on account ${leg.account.id}`);
  });
  if (sum !== 0n) throw new Error(`wallet bug: legs sum to ${sum}, not zero`);
  for (const { account, amount } of legs) {
    const after = account.balance + amount;
    if (after < BALANCE_MIN || after > BALANCE_MAX) throw new BalanceRangeError(account, after);
  }
}

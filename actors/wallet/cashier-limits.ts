import { localDay } from "../runtime/local-day.ts";
import type { PayoutState } from "./ledger.ts";
import type { Refusal } from "./refusal.ts";
import { rollingRefusal } from "./rolling-gate.ts";
import type { Turn } from "./turn.ts";

/**
 * The brand's settings, applied when a deposit or withdrawal is requested. Each refusal has
 * its own code and names the setting and its limit; it is kept under the request's key like
 * any refusal (the same request stays refused), and moves nothing.
 */
export type { Refusal } from "./refusal.ts";

export function depositRefusal(turn: Turn, amount: bigint): Refusal | null {
  const { minDeposit, maxDeposit } = turn.settings.limits;
  return outsideRange("deposit", amount, { setting: "limits.minDeposit", limit: minDeposit }, { setting: "limits.maxDeposit", limit: maxDeposit });
}

/**
 * Checked in this order: a payout account on file, the rolling gate (decided from the
 * wallet's own projection of the rolling domain's events, docs/architecture.md "The wallet"),
 * the amount's range, today's count, today's amount.
 */
export function withdrawalRefusal(turn: Turn, player: string, amount: bigint): Refusal | null {
  const { limits, withdrawal, timeZone } = turn.settings;
  const payouts = turn.payoutsOf(player);
  if (withdrawal.requireBankAccount && payouts.account === null) {
    return {
      code: "bank_account_required",
      message: "this brand pays withdrawals only to a bank account on file: add one to your profile first",
      details: { setting: "withdrawal.requireBankAccount" },
    };
  }
  const rolling = rollingRefusal(turn, payouts);
  if (rolling) return rolling;
  const range = outsideRange(
    "withdrawal",
    amount,
    { setting: "limits.minWithdrawal", limit: limits.minWithdrawal },
    { setting: "limits.maxWithdrawal", limit: limits.maxWithdrawal },
  );
  if (range) return range;
  const today = withdrawalsToday(payouts, turn.now, timeZone);
  const maxPerDay = withdrawal.maxPerDay;
  if (maxPerDay !== undefined && today.count >= maxPerDay) {
    return {
      code: "daily_withdrawal_count_limit",
      message: `at most ${maxPerDay} withdrawals a day; ${today.count} already requested today (${timeZone})`,
      details: { setting: "withdrawal.maxPerDay", limit: maxPerDay, used: today.count },
    };
  }
  const daily = limits.dailyWithdrawal;
  if (daily !== undefined && today.amount + amount > daily) {
    return {
      code: "daily_withdrawal_limit",
      message: `at most ${daily} a day in withdrawals; ${today.amount} already requested today (${timeZone})`,
      details: { setting: "limits.dailyWithdrawal", limit: daily.toString(), used: today.amount.toString() },
    };
  }
  return null;
}

type Bound = { setting: string; limit: bigint | undefined };

function outsideRange(kind: "deposit" | "withdrawal", amount: bigint, min: Bound, max: Bound): Refusal | null {
  if (min.limit !== undefined && amount < min.limit) {
    return { code: "amount_below_minimum", message: `a ${kind} is at least ${min.limit}`, details: { setting: min.setting, limit: min.limit.toString() } };
  }
  if (max.limit !== undefined && amount > max.limit) {
    return { code: "amount_above_maximum", message: `a ${kind} is at most ${max.limit}`, details: { setting: max.setting, limit: max.limit.toString() } };
  }
  return null;
}

/** The player's withdrawals requested on the brand's local day of `now`, rejected ones aside. */
export function withdrawalsToday(payouts: PayoutState, now: number, timeZone: string): { count: number; amount: bigint } {
  const today = localDay(now, timeZone);
  let count = 0;
  let amount = 0n;
  for (const w of payouts.withdrawals.values()) {
    if (w.rejected || localDay(w.openedAt, timeZone) !== today) continue;
    count += 1;
    amount += w.amount;
  }
  return { count, amount };
}

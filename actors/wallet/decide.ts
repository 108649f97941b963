import { fail, ok, type Outcome } from "../runtime/errors.ts";
import { adjustBalance, convertBonus, forfeitBonus, grantBonus, setPlayerStatus, transfer } from "./decide-balances.ts";
import { playBatch } from "./decide-batch.ts";
import { approveDeposit, approveWithdrawal, balancesOf, rejectDeposit, rejectWithdrawal, requestDeposit, requestWithdrawal } from "./decide-cashier.ts";
import { placeBet, rollBack, settleWin } from "./decide-provider.ts";
import { BalanceRangeError, type Turn } from "./turn.ts";

type Decider = (turn: Turn, body: any) => Outcome;

/** Commands and in-memory queries, decided in batch order against the caches. Pure: no I/O. */
const DECIDERS: Record<string, Decider> = {
  bet: placeBet,
  win: settleWin,
  rollback: rollBack,
  batch: playBatch,
  depositRequest: requestDeposit,
  depositApprove: approveDeposit,
  depositReject: rejectDeposit,
  withdrawalRequest: requestWithdrawal,
  withdrawalApprove: approveWithdrawal,
  withdrawalReject: rejectWithdrawal,
  bonusGrant: grantBonus,
  bonusConvert: convertBonus,
  bonusForfeit: forfeitBonus,
  adjust: adjustBalance,
  transfer,
  setPlayerStatus,
  balance: (turn, body) => ok(balancesOf(turn, body.owner.kind, body.owner.id)),
};

/**
 * A command whose transaction would take a balance past what the column holds is refused
 * `amount_out_of_range`, with everything it had applied in memory undone.
 */
export function decide(turn: Turn, type: string, body: unknown): Outcome {
  const decider = DECIDERS[type];
  if (!decider) return fail("unknown_message", `wallet does not take ${type} messages`);
  const mark = turn.mark();
  try {
    return decider(turn, body);
  } catch (error) {
    if (!(error instanceof BalanceRangeError)) throw error;
    turn.revert(mark);
    return fail("amount_out_of_range", `${error.message}; nothing was moved`);
  }
}

export const decidesInMemory = (type: string) => type in DECIDERS;

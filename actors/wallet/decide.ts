import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { adjustBalance, convertBonus, followSuspension, forfeitBonus, grantBonus, keepPayoutAccount, setPlayerStatus, transfer } from "./decide-balances.ts";
import { playBatch } from "./decide-batch.ts";
import {
  approveAgentWithdrawal,
  approveDeposit,
  approveWithdrawal,
  balancesOf,
  rejectAgentWithdrawal,
  rejectDeposit,
  rejectWithdrawal,
  requestAgentWithdrawal,
  requestDeposit,
  requestWithdrawal,
} from "./decide-cashier.ts";
import { announceBonusRefusal, grantRequestedBonus } from "./decide-promotion.ts";
import { placeBet, rollBack, settleWin } from "./decide-provider.ts";
import { closeRolling, followRolling } from "./decide-rolling.ts";
import { creditSettlementLine } from "./decide-settlement.ts";
import { BalanceRangeError } from "./legs.ts";
import type { Body, WalletMessageType } from "./messages.ts";
import { SettingsUnavailable } from "./settings.ts";
import type { Turn } from "./turn.ts";

type Deciders = { [K in WalletMessageType]?: (turn: Turn, body: Body<K>) => Outcome };

/** Commands and in-memory queries, decided in batch order against the caches. Pure: no I/O. */
const DECIDERS: Deciders = {
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
  agentWithdrawalRequest: requestAgentWithdrawal,
  agentWithdrawalApprove: approveAgentWithdrawal,
  agentWithdrawalReject: rejectAgentWithdrawal,
  bonusGrant: grantBonus,
  "promotion.bonus_requested": grantRequestedBonus,
  bonusConvert: convertBonus,
  bonusForfeit: forfeitBonus,
  adjust: adjustBalance,
  transfer,
  setPlayerStatus,
  "player.suspended": followSuspension(true),
  "player.reinstated": followSuspension(false),
  "player.registered": keepPayoutAccount,
  "player.bank_account_changed": keepPayoutAccount,
  "settlement.credit_requested": creditSettlementLine,
  "rolling.created": followRolling,
  "rolling.progressed": followRolling,
  "rolling.completed": closeRolling("completed"),
  "rolling.expired": closeRolling("expired"),
  "rolling.cancelled": closeRolling("cancelled"),
  balance: (turn, body) => ok(balancesOf(turn, body.owner.kind, body.owner.id)),
};

/**
 * A command whose transaction would take a balance past what the column holds is refused
 * `amount_out_of_range`, and one that needs the brand's settings when the wallet has none for
 * the brand is refused `settings_unavailable` (for now: nothing is kept under its key), each
 * with everything it had applied in memory undone.
 */
export function decide(turn: Turn, type: string, body: unknown): Outcome {
  // own keys only: a type named like an Object.prototype member decides nothing
  if (!Object.hasOwn(DECIDERS, type)) return fail("unknown_message", `wallet does not take ${type} messages`);
  const outcome = decideAllOrNothing(turn, type as WalletMessageType, body);
  // the promotion domain hears of a grant refused for good (it asks again for one refused for the moment)
  if (type === "promotion.bonus_requested") announceBonusRefusal(turn, body as Body<"promotion.bonus_requested">, outcome);
  return outcome;
}

function decideAllOrNothing(turn: Turn, type: WalletMessageType, body: unknown): Outcome {
  const mark = turn.mark();
  try {
    return decideTyped(turn, type, body as Body<WalletMessageType>);
  } catch (error) {
    if (error instanceof SettingsUnavailable) {
      turn.revert(mark);
      return fail("settings_unavailable", `${error.message}; nothing was moved, retry in a moment`, { retryAfterSeconds: 5 });
    }
    if (!(error instanceof BalanceRangeError)) throw error;
    turn.revert(mark);
    return fail("amount_out_of_range", `${error.message}; nothing was moved`);
  }
}

function decideTyped<K extends WalletMessageType>(turn: Turn, type: K, body: Body<K>): Outcome {
  // present: decide checked the type
  return DECIDERS[type]!(turn, body);
}

import { type ErrorBody, type Outcome, ok } from "../runtime/errors.ts";
import {
  type BetCall,
  betFingerprint,
  currencyMismatch,
  isStickyBetRefusal,
  isStickyWinRefusal,
  placeBet,
  providerKey,
  RS,
  recordRefusal,
  refusal,
  replay,
  rollBack,
  rollbackFingerprint,
  settleWin,
  winFingerprint,
} from "./decide-provider.ts";
import type { BatchAction, Body } from "./messages.ts";
import type { Turn } from "./turn.ts";

/** `keep`: records a refusal of this action that must stay under its key, if it is one. */
type Step = { action: BatchAction; key: string; print: string; bet?: BetCall; decide: () => Outcome; keep: (error: ErrorBody) => void };

/**
 * The batch dialect: a round step's actions apply all or none. Each action keeps its own
 * idempotency key; a batch seen before replays, a batch with a changed action is a
 * duplicate, and a bet refused inside a batch stays refused under its key. Its wins name no
 * bet: they are settled against the player's round (see settleWin and rollBack), and a win
 * refused because its round never had an accepted bet stays refused under its key too.
 */
export function playBatch(turn: Turn, body: Body<"batch">): Outcome {
  const steps = body.actions.map((action) => step(turn, body, action));
  const known = new Set<Step>();
  for (const s of steps) {
    const rec = turn.keyState(s.key).record;
    if (!rec) continue;
    const actionId = s.action.actionId;
    if (rec.fingerprint !== s.print) {
      return refusal(turn, body.player, RS.duplicate, `action ${actionId} was already used for a different request`, { actionId });
    }
    if (rec.status === "refused") return withAction(replay(turn, rec, s.print, body.player), actionId);
    known.add(s);
  }
  if (known.size === steps.length) return ok(batchReply(turn, body.player, steps, true));
  const wrong = currencyMismatch(turn, body);
  if (wrong)
    return refuseFirstBet(
      turn,
      body,
      steps.filter((s) => !known.has(s)),
      wrong,
    );
  const mark = turn.mark();
  for (const s of steps) {
    if (known.has(s)) continue;
    const outcome = s.decide();
    if (outcome.ok) continue;
    turn.revert(mark);
    s.keep(outcome.error);
    const actionId = s.action.actionId;
    return refusal(turn, body.player, outcome.error.code, `action ${actionId}: ${outcome.error.message}`, { actionId });
  }
  return ok(batchReply(turn, body.player, steps, false));
}

/** The whole play is refused: the first bet it would have placed stays refused under its key. */
function refuseFirstBet(turn: Turn, body: Body<"batch">, fresh: Step[], refused: Outcome): Outcome {
  const first = fresh.find((s) => s.bet);
  if (refused.ok || !first) return refused;
  recordRefusal(turn, "bet", first.bet!, first.print, refused.error);
  const actionId = first.action.actionId;
  return refusal(turn, body.player, refused.error.code, `action ${actionId}: ${refused.error.message}`, { actionId });
}

function step(turn: Turn, body: Body<"batch">, action: BatchAction): Step {
  const call = {
    provider: body.provider,
    player: body.player,
    round: body.round,
    gameCode: body.gameCode,
    gameCategory: body.gameCategory,
    finished: body.finished,
    transactionUuid: action.actionId,
    byRound: true,
  };
  const key = providerKey(body.provider, action.actionId);
  switch (action.action) {
    case "bet": {
      const { playerSuspended, brandDisabled, sessionExpired, gameDisabled } = body;
      const bet = { ...call, amount: action.amount, playerSuspended, brandDisabled, sessionExpired, gameDisabled };
      const print = betFingerprint(bet);
      const keep = (error: ErrorBody) => void (isStickyBetRefusal(error) && recordRefusal(turn, "bet", bet, print, error));
      return { action, key, print, bet, decide: () => placeBet(turn, bet), keep };
    }
    case "win": {
      const win = { ...call, amount: action.amount };
      const print = winFingerprint(win);
      const keep = (error: ErrorBody) => void (isStickyWinRefusal(error) && recordRefusal(turn, "win", win, print, error));
      return { action, key, print, decide: () => settleWin(turn, win), keep };
    }
    case "rollback": {
      const rollback = { ...call, referenceTransactionUuid: action.originalActionId };
      return { action, key, print: rollbackFingerprint(rollback), decide: () => rollBack(turn, rollback), keep: () => {} };
    }
  }
}

function batchReply(turn: Turn, player: string, steps: Step[], replayed: boolean) {
  return {
    balance: turn.account("player", player, "cash").balance.toString(),
    currency: turn.currency,
    transactions: steps.map((s) => ({ actionId: s.action.actionId, transactionId: turn.keyState(s.key).record!.id })),
    replayed,
  };
}

function withAction(outcome: Outcome, actionId: string): Outcome {
  if (outcome.ok) return outcome;
  return { ok: false, error: { ...outcome.error, details: { ...(outcome.error.details as object), actionId } } };
}

import { type ErrorBody, fail, type Outcome, ok } from "../runtime/errors.ts";
import { moneyEvent, WALLET_EVENTS } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import type { RoundBets, TxRecord } from "./ledger.ts";
import type { Turn } from "./turn.ts";

/** The provider contract's rules for bet, win and rollback, decided against the caches. */

export const RS = {
  notEnoughMoney: "RS_ERROR_NOT_ENOUGH_MONEY",
  wrongCurrency: "RS_ERROR_WRONG_CURRENCY",
  duplicate: "RS_ERROR_DUPLICATE_TRANSACTION",
  doesNotExist: "RS_ERROR_TRANSACTION_DOES_NOT_EXIST",
  rolledBack: "RS_ERROR_TRANSACTION_ROLLED_BACK",
  alreadySettled: "RS_ERROR_BET_ALREADY_SETTLED",
  userDisabled: "RS_ERROR_USER_DISABLED",
  tokenExpired: "RS_ERROR_TOKEN_EXPIRED",
  invalidToken: "RS_ERROR_INVALID_TOKEN",
} as const;

/** Refusals of a bet that stay under its key, even after the player deposits or relaunches. */
const STICKY_BET_REFUSALS = new Set<string>([RS.notEnoughMoney, RS.rolledBack, RS.userDisabled, RS.tokenExpired, RS.invalidToken, RS.wrongCurrency]);

export const providerKey = idempotencyKeys.provider;

/** One provider call as the edge canonicalized it. */
export type ProviderCall = {
  provider: string;
  player: string;
  round: string;
  gameCode?: string;
  gameCategory?: string;
  currency?: string;
  transactionUuid: string;
  /** the batch dialect: bets refer to their round, and rollbacks are refused once the round has a win */
  byRound?: boolean;
};
/** What the edge knows of the session that refuses a bet; the wallet records the refusal. */
export type BetCall = ProviderCall & { amount: bigint; playerSuspended: boolean; brandDisabled: boolean; sessionExpired?: boolean; gameDisabled?: boolean };
/** A win with no reference (the batch dialect's) is settled against its round. */
export type WinCall = ProviderCall & { amount: bigint; referenceTransactionUuid?: string };
export type RollbackCall = ProviderCall & { referenceTransactionUuid: string };

export function placeBet(turn: Turn, call: BetCall): Outcome {
  const key = providerKey(call.provider, call.transactionUuid);
  const print = betFingerprint(call);
  const state = turn.keyState(key);
  if (state.record) return replay(turn, state.record, print, call.player);
  const cash = turn.account("player", call.player, "cash");
  const refusal = betRefusal(turn, call, state.rolledBack, cash.balance);
  if (refusal) return recordRefusal(turn, "bet", call, print, refusal);
  const round = call.byRound ? roundKey(call) : undefined;
  const rec = turn.record(
    { ...gameFields(call), key, kind: "bet", fingerprint: print, status: "accepted", amount: call.amount, reference: round },
    [
      { account: cash, amount: -call.amount },
      { account: turn.brandAccount("provider"), amount: call.amount },
    ],
    (id) => ok({ transactionId: id, balance: cash.balance.toString(), currency: turn.currency, replayed: false }),
  );
  turn.emit(WALLET_EVENTS.betSettled, moneyEvent(rec, cash.balance, turn.currency, eventFields(call)));
  return rec.outcome;
}

export function settleWin(turn: Turn, call: WinCall): Outcome {
  const key = providerKey(call.provider, call.transactionUuid);
  const reference = winReference(call);
  const print = winFingerprint(call);
  const state = turn.keyState(key);
  if (state.record) return replay(turn, state.record, print, call.player);
  const wrong = currencyMismatch(turn, call);
  if (wrong) return wrong;
  if (reference) {
    const bet = turn.keyState(reference);
    if (bet.rolledBack) return refusal(turn, call.player, RS.rolledBack, `bet ${call.referenceTransactionUuid} was rolled back`);
    if (!isAcceptedBetOf(bet.record, call.player)) {
      return refusal(turn, call.player, RS.doesNotExist, `no bet ${call.referenceTransactionUuid} of this player`);
    }
  } else {
    const bets = roundBets(turn, call);
    if (bets.accepted === 0) return refusal(turn, call.player, RS.doesNotExist, `round ${call.round} has no accepted bet`);
    if (bets.standing === 0) return refusal(turn, call.player, RS.rolledBack, `every bet of round ${call.round} was rolled back`);
  }
  const cash = turn.account("player", call.player, "cash");
  // a win that names no bet refers to its round, which it settles
  const rec = turn.record(
    { ...gameFields(call), key, kind: "win", fingerprint: print, status: "accepted", amount: call.amount, reference: reference ?? roundKey(call) },
    [
      { account: turn.brandAccount("provider"), amount: -call.amount },
      { account: cash, amount: call.amount },
    ],
    (id) => ok({ transactionId: id, balance: cash.balance.toString(), currency: turn.currency, replayed: false }),
  );
  turn.emit(WALLET_EVENTS.win, moneyEvent(rec, cash.balance, turn.currency, { ...eventFields(call), reference }));
  return rec.outcome;
}

/** Refunds the bet once; a rollback of an unknown bet is a tombstone that refuses it later. */
export function rollBack(turn: Turn, call: RollbackCall): Outcome {
  const key = providerKey(call.provider, call.transactionUuid);
  const reference = providerKey(call.provider, call.referenceTransactionUuid);
  const print = rollbackFingerprint(call);
  const state = turn.keyState(key);
  if (state.record) return replay(turn, state.record, print, call.player);
  const target = turn.keyState(reference);
  const bet = target.record;
  if (bet && (bet.kind !== "bet" || bet.player !== call.player)) {
    return refusal(turn, call.player, RS.doesNotExist, `${call.referenceTransactionUuid} is not a bet of this player`);
  }
  if (target.settled) return refusal(turn, call.player, RS.alreadySettled, `bet ${call.referenceTransactionUuid} already has a win`);
  const standing = bet?.status === "accepted" && !target.rolledBack;
  const refund = standing ? bet.amount : 0n;
  if (call.byRound && standing) {
    const round = roundKey(call);
    // bets recorded before rounds were kept name no round: the rollback's round stands for theirs
    if (bet!.reference !== null && bet!.reference !== round) {
      return refusal(turn, call.player, RS.doesNotExist, `bet ${call.referenceTransactionUuid} was not placed in round ${call.round}`);
    }
    if (turn.keyState(round).settled) return refusal(turn, call.player, RS.alreadySettled, `round ${call.round} of bet ${call.referenceTransactionUuid} already has a win`);
  }
  const cash = turn.account("player", call.player, "cash");
  const rec = turn.record(
    { ...gameFields(call), key, kind: "rollback", fingerprint: print, status: "accepted", amount: refund, reference },
    [
      { account: turn.brandAccount("provider"), amount: -refund },
      { account: cash, amount: refund },
    ],
    (id) => ok({ transactionId: id, balance: cash.balance.toString(), currency: turn.currency, replayed: false }),
  );
  if (refund > 0n) {
    turn.emit(WALLET_EVENTS.rollback, moneyEvent(rec, cash.balance, turn.currency, { ...eventFields(call), reference }));
  }
  return rec.outcome;
}

/** The same key again: the first outcome with the current balance, or a duplicate. */
export function replay(turn: Turn, rec: TxRecord, print: string, player: string): Outcome {
  const first = turn.firstOutcome(rec);
  if (first) return first;
  if (rec.fingerprint !== print) {
    return refusal(turn, player, RS.duplicate, `transaction ${rec.key.split(":").slice(2).join(":")} was already used for a different request`);
  }
  const balance = turn.account("player", player, "cash").balance.toString();
  if (rec.outcome.ok) return ok({ ...(rec.outcome.value as Record<string, unknown>), balance, replayed: true });
  return fail(rec.outcome.error.code, rec.outcome.error.message, { ...(rec.outcome.error.details as object), balance });
}

/** A provider error: carries the player's balance and currency, as the contract asks. */
export function refusal(turn: Turn, player: string, code: string, message: string, extra: Record<string, unknown> = {}): Outcome<never> {
  const balance = turn.account("player", player, "cash").balance.toString();
  return fail(code, message, { balance, currency: turn.currency, ...extra });
}

export function isStickyBetRefusal(error: ErrorBody): boolean {
  return STICKY_BET_REFUSALS.has(error.code);
}

/** A win naming no bet, in a round that never had an accepted bet, stays refused: a later bet does not pay it. */
export function isStickyWinRefusal(error: ErrorBody): boolean {
  return error.code === RS.doesNotExist;
}

/** Keep a refused bet (or a batch win) under its key so that a retry stays refused. */
export function recordRefusal(turn: Turn, kind: "bet" | "win", call: ProviderCall & { amount: bigint }, print: string, error: { code: string; message: string }): Outcome {
  const key = providerKey(call.provider, call.transactionUuid);
  const outcome = refusal(turn, call.player, error.code, error.message);
  turn.record({ ...gameFields(call), key, kind, fingerprint: print, status: "refused", refusalCode: error.code, amount: call.amount }, [], () => outcome);
  return outcome;
}

export function betFingerprint(call: BetCall): string {
  return fingerprint("bet", [call.player, call.round, call.amount, null]);
}

export function winFingerprint(call: WinCall): string {
  return fingerprint("win", [call.player, call.round, call.amount, winReference(call)]);
}

export function rollbackFingerprint(call: RollbackCall): string {
  return fingerprint("rollback", [call.player, call.round, null, providerKey(call.provider, call.referenceTransactionUuid)]);
}

function winReference(call: WinCall): string | null {
  return call.referenceTransactionUuid === undefined ? null : providerKey(call.provider, call.referenceTransactionUuid);
}

export function currencyMismatch(turn: Turn, call: { currency?: string; player: string }): Outcome<never> | undefined {
  const wrong = wrongCurrency(turn, call);
  return wrong ? refusal(turn, call.player, wrong.code, wrong.message) : undefined;
}

function wrongCurrency(turn: Turn, call: { currency?: string }): { code: string; message: string } | null {
  if (call.currency === undefined || call.currency === turn.currency) return null;
  return { code: RS.wrongCurrency, message: `this brand plays in ${turn.currency}, not ${call.currency}` };
}

function betRefusal(turn: Turn, call: BetCall, rolledBack: boolean, cash: bigint): { code: string; message: string } | null {
  if (call.sessionExpired) return { code: RS.tokenExpired, message: "the game session has expired; relaunch the game" };
  if (call.brandDisabled || !turn.cache.brandActive) return { code: RS.userDisabled, message: "the brand is suspended" };
  if (call.gameDisabled) return { code: RS.invalidToken, message: `${call.provider}/${call.gameCode} is no longer enabled for this brand; relaunch from the lobby` };
  const wrong = wrongCurrency(turn, call);
  if (wrong) return wrong;
  if (rolledBack) return { code: RS.rolledBack, message: `bet ${call.transactionUuid} was rolled back before it arrived` };
  if (call.playerSuspended || turn.isSuspended(call.player)) return { code: RS.userDisabled, message: "the player is suspended" };
  if (cash < call.amount) return { code: RS.notEnoughMoney, message: `the bet of ${call.amount} exceeds the balance of ${cash}` };
  return null;
}

function roundKey(call: ProviderCall): string {
  return idempotencyKeys.round(call.provider, call.player, call.round);
}

/** The bets of a win's round; a win naming no bet is paid only in a round with a bet standing (0 counts). */
function roundBets(turn: Turn, call: ProviderCall): RoundBets {
  const bets = turn.keyState(roundKey(call)).bets;
  if (!bets) throw new Error(`wallet bug: round ${roundKey(call)} was loaded without its bets`);
  return bets;
}

function isAcceptedBetOf(rec: TxRecord | null, player: string): boolean {
  return rec !== null && rec.kind === "bet" && rec.status === "accepted" && rec.player === player;
}

function gameFields(call: ProviderCall) {
  return { player: call.player, round: call.round, gameCode: call.gameCode, gameCategory: call.gameCategory, provider: call.provider };
}

function eventFields(call: ProviderCall & { finished?: boolean }) {
  return {
    provider: call.provider,
    round: call.round,
    gameCode: call.gameCode ?? null,
    gameCategory: call.gameCategory ?? null,
    ...(call.finished === undefined ? {} : { roundFinished: call.finished }),
  };
}

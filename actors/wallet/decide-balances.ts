import { auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { balancesOf } from "./decide-cashier.ts";
import { moneyEvent, WALLET_EVENTS } from "./events.ts";
import { fingerprint } from "./fingerprint.ts";
import { idempotencyKeys } from "./keys.ts";
import type { Body } from "./messages.ts";
import { applyOnce } from "./once.ts";
import type { Refusal } from "./refusal.ts";
import { awaitRolling, rollingRefusal } from "./rolling-gate.ts";
import type { Turn } from "./turn.ts";

/** Bonuses, staff adjustments, agent transfers, the suspension list and payout accounts. */

const insufficient = (what: string, amount: bigint, balance: bigint) => ({
  refusal: { code: "insufficient_funds", message: `${what} of ${amount} exceeds the balance of ${balance}` },
});

/**
 * Bonus money in the player's bonus account. Its event names the wagering multiple the
 * rolling domain applies: the grant's own, else the brand's `rolling.bonusMultiple`.
 */
export function grantBonus(turn: Turn, body: Body<"bonusGrant">, refuse: () => Refusal | null = () => null): Outcome {
  const own = body.rollingMultiple;
  const rollingMultiple = own ?? turn.settings.rolling.bonusMultiple;
  const outcome = applyOnce(turn, {
    key: idempotencyKeys.bonusGrant(body.grantId),
    kind: "bonus_grant",
    // a grant without a multiple of its own keeps the fingerprint grants had before multiples
    fingerprint: fingerprint("bonus_grant", own === undefined ? [body.player, body.amount] : [body.player, body.amount, String(own)]),
    player: body.player,
    metadata: { source: body.source ?? null, reason: body.reason ?? null, rollingMultiple },
    plan: () => {
      const refusal = refuse();
      if (refusal) return { refusal };
      return {
        amount: body.amount,
        legs: [
          { account: turn.brandAccount("house"), amount: -body.amount },
          { account: turn.account("player", body.player, "bonus"), amount: body.amount },
        ],
      };
    },
    reply: (transactionId, amount) => moneyReply(turn, body.player, transactionId, amount),
    event: (rec) => [WALLET_EVENTS.bonusGranted, moneyEvent(rec, cashOf(turn, body.player), turn.currency, { source: body.source ?? null, rollingMultiple })],
  });
  awaitRolling(turn, outcome, body.player, rollingMultiple);
  return outcome;
}

/** Bonus money becomes cash (its wagering is done); all of it unless an amount is given. */
export function convertBonus(turn: Turn, body: Body<"bonusConvert">): Outcome {
  return moveBonus(turn, body.player, idempotencyKeys.bonusConvert(body.conversionId), "bonus_conversion", body.amount, "cash", WALLET_EVENTS.bonusConverted);
}

export function forfeitBonus(turn: Turn, body: Body<"bonusForfeit">): Outcome {
  return moveBonus(turn, body.player, idempotencyKeys.bonusForfeit(body.forfeitId), "bonus_forfeit", body.amount, "house", WALLET_EVENTS.bonusForfeited, body.reason);
}

function moveBonus(turn: Turn, player: string, key: string, kind: string, requested: bigint | undefined, to: "cash" | "house", event: string, reason?: string) {
  return applyOnce(turn, {
    key,
    kind,
    fingerprint: fingerprint(kind, [player, requested ?? null]),
    player,
    metadata: reason === undefined ? undefined : { reason },
    plan: () => {
      const bonus = turn.account("player", player, "bonus");
      const amount = requested ?? bonus.balance;
      if (bonus.balance < amount) return insufficient(kind.replace("_", " "), amount, bonus.balance);
      const target = to === "cash" ? turn.account("player", player, "cash") : turn.brandAccount("house");
      return {
        amount,
        legs: [
          { account: bonus, amount: -amount },
          { account: target, amount },
        ],
      };
    },
    reply: (transactionId, amount) => moneyReply(turn, player, transactionId, amount),
    event: (rec) => [event, moneyEvent(rec, cashOf(turn, player), turn.currency, reason === undefined ? {} : { reason })],
  });
}

/** A staff correction against the house, with its reason and the staff member who made it, audited with the balances it changed. */
export function adjustBalance(turn: Turn, body: Body<"adjust">): Outcome {
  const { kind, id } = body.owner;
  if (kind === "agent" && body.account !== "cash") return fail("bad_request", "agents hold cash only");
  const staffId = body.by.staffId;
  const before = balancesOf(turn, kind, id);
  return applyOnce(turn, {
    key: idempotencyKeys.adjust(body.adjustmentId),
    kind: "adjustment",
    fingerprint: fingerprint("adjustment", [kind, id, body.account, body.amount, body.reason, staffId]),
    player: kind === "player" ? id : null,
    metadata: { owner: body.owner, account: body.account, reason: body.reason, staffId },
    plan: () => {
      const account = turn.account(kind, id, body.account);
      if (account.balance + body.amount < 0n) return insufficient("adjustment", -body.amount, account.balance);
      return {
        amount: body.amount,
        legs: [
          { account, amount: body.amount },
          { account: turn.brandAccount("house"), amount: -body.amount },
        ],
      };
    },
    reply: (transactionId, amount) => ({ transactionId, amount: amount.toString(), balance: balancesOf(turn, kind, id) }),
    event: (rec) => [
      WALLET_EVENTS.adjusted,
      moneyEvent(rec, turn.account(kind, id, body.account).balance, turn.currency, {
        owner: body.owner,
        account: body.account,
        reason: body.reason,
        staffId,
      }),
    ],
    audit: (rec) =>
      auditEvent(body.by, {
        action: "wallet.adjust",
        brand: turn.brand,
        target: `${kind}:${id}`,
        before,
        after: { ...balancesOf(turn, kind, id), amount: rec.amount.toString(), account: body.account, reason: body.reason, transactionId: rec.id },
      }),
  });
}

/**
 * Agent ↔ own player, each way only where the brand allows it (its refusal, like any, stays
 * under the key). Cash a player moves to their agent leaves the player as a withdrawal does,
 * so it passes the same rolling gate (refused `rolling_open` while a requirement is open).
 */
export function transfer(turn: Turn, body: Body<"transfer">): Outcome {
  const agentCash = turn.account("agent", body.agent, "cash");
  const playerCash = turn.account("player", body.player, "cash");
  const [from, to] = body.direction === "agent_to_player" ? [agentCash, playerCash] : [playerCash, agentCash];
  return applyOnce(turn, {
    key: idempotencyKeys.transfer(body.transferId),
    kind: "transfer",
    fingerprint: fingerprint("transfer", [body.agent, body.player, body.direction, body.amount]),
    player: body.player,
    metadata: { agent: body.agent, direction: body.direction },
    plan: () => {
      const refused =
        transferRefusal(turn, body.direction) ?? (body.direction === "player_to_agent" ? rollingRefusal(turn, turn.payoutsOf(body.player), "moving cash to your agent") : null);
      if (refused) return { refusal: refused };
      if (from.balance < body.amount) return insufficient("transfer", body.amount, from.balance);
      return {
        amount: body.amount,
        legs: [
          { account: from, amount: -body.amount },
          { account: to, amount: body.amount },
        ],
      };
    },
    reply: (transactionId, amount) => ({
      transactionId,
      amount: amount.toString(),
      agentCash: agentCash.balance.toString(),
      playerCash: playerCash.balance.toString(),
    }),
    event: (rec) => [
      WALLET_EVENTS.transferred,
      moneyEvent(rec, playerCash.balance, turn.currency, { agent: body.agent, direction: body.direction, agentBalance: agentCash.balance.toString() }),
    ],
  });
}

function transferRefusal(turn: Turn, direction: Body<"transfer">["direction"]) {
  const allowed = turn.settings.agentTransfers;
  if (direction === "agent_to_player" ? allowed.toPlayers : allowed.fromPlayers) return null;
  const setting = direction === "agent_to_player" ? "agent.transfersToPlayers" : "agent.transfersFromPlayers";
  const way = direction === "agent_to_player" ? "to their players" : "from their players";
  return { code: "transfer_not_allowed", message: `this brand does not let agents move money ${way}`, details: { setting } };
}

export function setPlayerStatus(turn: Turn, body: Body<"setPlayerStatus">): Outcome {
  if (turn.isSuspended(body.player) !== body.suspended) turn.setSuspended(body.player, body.suspended);
  return ok({ player: body.player, suspended: body.suspended });
}

/** `player.suspended` and `player.reinstated`: the list provider bets are refused by (USER_DISABLED). */
export function followSuspension(suspended: boolean) {
  return (turn: Turn, body: { playerId: string }): Outcome => setPlayerStatus(turn, { player: body.playerId, suspended });
}

/** `player.registered` and `player.bank_account_changed`: the account the player's withdrawals are paid to. */
export function keepPayoutAccount(turn: Turn, body: Body<"player.bank_account_changed">): Outcome {
  if (body.bank) turn.setPayoutAccount(body.playerId, body.bank);
  return ok({ player: body.playerId, payoutAccount: turn.payoutsOf(body.playerId).account !== null });
}

function moneyReply(turn: Turn, player: string, transactionId: string, amount: bigint) {
  return { transactionId, amount: amount.toString(), balance: balancesOf(turn, "player", player) };
}

function cashOf(turn: Turn, player: string): bigint {
  return turn.account("player", player, "cash").balance;
}

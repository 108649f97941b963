import type { Incoming } from "../runtime/actor.ts";
import { bonusSettlementKey, type RollingClose } from "./decide-rolling.ts";
import { CONSUMED_EVENT_TYPES } from "./events.ts";
import { idempotencyKeys as keys } from "./keys.ts";
import { ownerKey } from "./ledger.ts";
import { UNRECORDED_TYPES, type WalletMessage } from "./messages.ts";

/**
 * What a batch must have in the caches before it is decided (owners, keys, requests, players'
 * payouts), and the messages whose recorded outcome may already be in the store: those
 * delivered before, and events (a relay's replay sends an event again as a new message).
 */
export class Needs {
  readonly owners = new Map<string, { kind: "player" | "agent" | "brand"; id: string }>();
  readonly keys = new Set<string>();
  readonly requests = new Set<string>();
  /** players whose payout account and recent withdrawals a decision reads or changes */
  readonly payouts = new Set<string>();
  /** requests whose player's payouts a decision changes (known once the request is loaded) */
  readonly payoutsOfRequests = new Set<string>();
  readonly redelivered = new Set<string>();

  owner(kind: "player" | "agent" | "brand", id: string) {
    this.owners.set(ownerKey(kind, id), { kind, id });
  }
}

export function needsOf(brand: string, batch: Incoming[]): Needs {
  const needs = new Needs();
  needs.owner("brand", brand);
  for (const message of batch) {
    // timers are the only type outside the protocol, and they need nothing
    collect(needs, message as WalletMessage);
    const seenBefore = message.deliveryCount > 1 || CONSUMED_EVENT_TYPES.has(message.type);
    if (seenBefore && !UNRECORDED_TYPES.has(message.type)) needs.redelivered.add(message.id);
  }
  return needs;
}

function collect(needs: Needs, { type, body }: WalletMessage) {
  switch (type) {
    case "bet":
      needs.owner("player", body.player);
      needs.keys.add(keys.provider(body.provider, body.transactionUuid));
      return;
    case "win":
    case "rollback":
      needs.owner("player", body.player);
      needs.keys.add(keys.provider(body.provider, body.transactionUuid));
      if (body.referenceTransactionUuid) needs.keys.add(keys.provider(body.provider, body.referenceTransactionUuid));
      // a win that names no bet is settled against its round
      else if (type === "win") needs.keys.add(keys.round(body.provider, body.player, body.round));
      return;
    case "batch":
      needs.owner("player", body.player);
      needs.keys.add(keys.round(body.provider, body.player, body.round));
      for (const a of body.actions) {
        needs.keys.add(keys.provider(body.provider, a.actionId));
        if (a.action === "rollback") needs.keys.add(keys.provider(body.provider, a.originalActionId));
      }
      return;
    case "depositRequest":
    case "withdrawalRequest":
      needs.owner("player", body.player);
      needs.keys.add(keys.request(type === "depositRequest" ? "deposit" : "withdrawal", body.requestId));
      needs.requests.add(body.requestId);
      if (type === "withdrawalRequest") needs.payouts.add(body.player);
      return;
    case "agentWithdrawalRequest":
      needs.owner("agent", body.agent);
      needs.keys.add(keys.request("agent_withdrawal", body.requestId));
      needs.requests.add(body.requestId);
      return;
    case "depositApprove":
    case "depositReject":
    case "withdrawalApprove":
    case "withdrawalReject":
    case "agentWithdrawalApprove":
    case "agentWithdrawalReject":
      // the request names the player; its accounts load once the request is known
      needs.requests.add(body.requestId);
      // a rejected withdrawal stops counting toward the player's daily limits; an approved
      // deposit may await its wagering requirement
      if (type === "withdrawalReject" || type === "depositApprove") needs.payoutsOfRequests.add(body.requestId);
      return;
    case "player.registered":
    case "player.bank_account_changed":
      needs.payouts.add(body.playerId);
      return;
    case "rolling.created":
    case "rolling.progressed":
      needs.payouts.add(body.player);
      return;
    case "rolling.completed":
    case "rolling.expired":
    case "rolling.cancelled":
      needs.payouts.add(body.player);
      // closing a bonus record settles its bonus once, under a key of the record
      if (body.sourceKind === "bonus") needOnce(needs, "player", body.player, bonusSettlementKey(CLOSES[type], body.rollingId));
      return;
    case "bonusGrant":
    case "promotion.bonus_requested":
      // a grant with a wagering requirement marks it awaited among the player's payouts
      needs.payouts.add(body.player);
      return needOnce(needs, "player", body.player, keys.bonusGrant(body.grantId));
    case "bonusConvert":
      return needOnce(needs, "player", body.player, keys.bonusConvert(body.conversionId));
    case "bonusForfeit":
      return needOnce(needs, "player", body.player, keys.bonusForfeit(body.forfeitId));
    case "adjust":
      return needOnce(needs, body.owner.kind, body.owner.id, keys.adjust(body.adjustmentId));
    case "transfer":
      needs.owner("agent", body.agent);
      // cash leaving the player passes the rolling gate
      if (body.direction === "player_to_agent") needs.payouts.add(body.player);
      return needOnce(needs, "player", body.player, keys.transfer(body.transferId));
    case "settlement.credit_requested":
      return needOnce(needs, body.owner.kind, body.owner.id, keys.settlement(body.lineId));
    case "balance":
    case "transactions":
      needs.owner(body.owner.kind, body.owner.id);
      return;
  }
}

const CLOSES: Record<"rolling.completed" | "rolling.expired" | "rolling.cancelled", RollingClose> = {
  "rolling.completed": "completed",
  "rolling.expired": "expired",
  "rolling.cancelled": "cancelled",
};

function needOnce(needs: Needs, kind: "player" | "agent", id: string, key: string) {
  needs.owner(kind, id);
  needs.keys.add(key);
}

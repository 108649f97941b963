import { z } from "zod";
import { SETTLEMENT_RESULT_TYPES } from "../settlement/index.ts";

/**
 * Facts the agent domain publishes through the shard outbox, in the same transaction as the
 * change (staff changes also write `audit.recorded`). `agent.created` puts the agent on its
 * brand's allow-list (the catalog takes it); the settlement's own events are the settlement
 * library's (`settlement.credit_requested`, `agent.settlement_completed`, `agent.settlement_line_stalled`).
 */
export const AGENT_EVENTS = {
  created: "agent.created",
  updated: "agent.updated",
  moved: "agent.moved",
  suspended: "agent.suspended",
  reinstated: "agent.reinstated",
  passwordChanged: "agent.password_changed",
  loggedIn: "agent.logged_in",
  playerLinked: "agent.player_linked",
} as const;

/** Who made an agent, as the allow-list's audit names them: the staff member, or `agent:<login name>`. */
export type AgentCreated = {
  agentId: string;
  parentId: string | null;
  level: number;
  loginName: string;
  code: string;
  by: { staffId: string | null; username: string; ip?: string | null };
};

/**
 * Events of other domains `agent@brand` takes (its own group, `agent`): sign-ups (a code links
 * the player), the wallet's money events of linked players (balances, activity), and the
 * wallet's answers to this domain's settlement lines.
 */
export const CONSUMED_EVENTS = {
  playerRegistered: "player.registered",
  betSettled: "wallet.bet_settled",
  win: "wallet.win",
  rollback: "wallet.rollback",
  depositApproved: "wallet.deposit_approved",
  withdrawalApproved: "wallet.withdrawal_approved",
} as const;

/** Wallet events whose `balance` is the player's cash after them (every one of a player's money events but an adjustment of bonus). */
export const CASH_EVENTS: readonly string[] = [
  "wallet.bet_settled",
  "wallet.win",
  "wallet.rollback",
  "wallet.deposit_approved",
  "wallet.withdrawal_requested",
  "wallet.withdrawal_approved",
  "wallet.withdrawal_rejected",
  "wallet.bonus_granted",
  "wallet.bonus_converted",
  "wallet.bonus_forfeited",
  "wallet.adjusted",
  "wallet.transferred",
  "wallet.settlement_credited",
];

export const CONSUMED_EVENT_TYPES: readonly string[] = [...new Set([...Object.values(CONSUMED_EVENTS), ...CASH_EVENTS, ...SETTLEMENT_RESULT_TYPES])];

/** An event as it reaches the actor: when it happened (the bucket of its activity) and its payload. */
export const fedEvent = z.object({ at: z.number(), payload: z.record(z.string(), z.unknown()) });
export type FedEvent = z.infer<typeof fedEvent>;

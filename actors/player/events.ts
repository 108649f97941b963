import type { BankAccount } from "./fields.ts";

/**
 * Facts the player domain publishes through the shard outbox, written in the same
 * transaction as the change. Payloads name players by id and never carry secrets. Staff
 * changes also write `audit.recorded` (actors/identity/audit-events.ts) in the same commit.
 */
export const PLAYER_EVENTS = {
  registered: "player.registered",
  loggedIn: "player.logged_in",
  locked: "player.locked",
  loggedOut: "player.logged_out",
  refreshReused: "player.refresh_reused",
  suspended: "player.suspended",
  reinstated: "player.reinstated",
  passwordChanged: "player.password_changed",
  profileUpdated: "player.profile_updated",
  bankAccountChanged: "player.bank_account_changed",
  messageSent: "message.sent",
  messageRead: "message.read",
  inquiryCreated: "inquiry.created",
  inquiryAnswered: "inquiry.answered",
  contentChanged: "content.changed",
} as const;

export type PlayerEventType = (typeof PLAYER_EVENTS)[keyof typeof PLAYER_EVENTS];

/**
 * `player.registered`: the agent domain resolves `signupCode` to an agent; the wallet keeps
 * `bank` as the account a withdrawal pays out to; top-info counts new players.
 */
export type PlayerRegistered = { playerId: string; username: string; nickname: string; signupCode: string | null; referredBy: string | null; bank: BankAccount };
/** `player.bank_account_changed`: the player's new payout account (the wallet's copy follows it). */
export type PlayerBankAccountChanged = { playerId: string; bank: BankAccount };
/**
 * `player.suspended` / `player.reinstated`: the wallet refuses (or again takes) the player's
 * bets, the game domain revokes (or allows) launch sessions. `by` names who acted: the staff
 * id, else the name an internal caller gave.
 */
export type PlayerSuspended = { playerId: string; reason: string; by: string };
export type PlayerReinstated = { playerId: string; by: string };
export type PlayerLoggedIn = { playerId: string; sessionId: string };
export type MessageSent = { messageId: number; playerId: string | null; senderId: string };
export type InquiryCreated = { inquiryId: number; playerId: string; title: string };

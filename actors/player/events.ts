/**
 * Facts the player domain publishes through the shard outbox, written in the same
 * transaction as the change. Payloads name players by id, never carry secrets.
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

export type PlayerRegistered = { playerId: string; username: string; nickname: string; signupCode: string | null; referredBy: string | null };
export type PlayerLoggedIn = { playerId: string; sessionId: string };
export type PlayerSuspended = { playerId: string; reason: string; by: string };
export type MessageSent = { messageId: number; playerId: string | null; senderId: string };
export type InquiryCreated = { inquiryId: number; playerId: string; title: string };

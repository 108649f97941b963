/** Facts the game domain publishes (through the shard outbox). */
export const GAME_EVENTS = {
  sessionIssued: "game.session_issued",
} as const;

/**
 * Facts of other domains the game actor consumes: the wallet's provider money events build
 * rounds; player suspensions revoke launch sessions.
 */
export const PROJECTED_EVENTS = {
  betSettled: "wallet.bet_settled",
  win: "wallet.win",
  rollback: "wallet.rollback",
  playerSuspended: "player.suspended",
  playerReinstated: "player.reinstated",
} as const;

export const PROJECTED_EVENT_TYPES: string[] = Object.values(PROJECTED_EVENTS);

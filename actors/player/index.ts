export { playerKind, type PlayerKindOptions } from "./actor.ts";
export { playerProtocol, PLAYER_QUERIES, type PlayerProtocol, type ProfileView, type ContentView } from "./messages.ts";
export { PLAYER_EVENTS, type PlayerEventType } from "./events.ts";
export { DEFAULT_LOCKOUT, type LockoutPolicy } from "./turn.ts";
export * as playerFields from "./fields.ts";
export * as playerTables from "./schema.ts";
export { registerPlayer, logIn, refreshSession, confirmPassword, hashPassword, sha256Hex, mintRefreshToken, PASSWORD_COST, REFRESH_TTL_MS, type AccessIssuer, type Asker, type SignedIn, type Registration } from "./auth-flow.ts";
export { withdrawalBlockedByRolling } from "./rolling-gate.ts";

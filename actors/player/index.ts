import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { type PlayerProtocol as P, playerProtocol as protocol } from "./messages.ts";

export { type PlayerKindOptions, playerKind } from "./actor.ts";
export {
  type AccessIssuer,
  changeOwnPassword,
  confirmPassword,
  hashPassword,
  type LogInInput,
  logIn,
  mintRefreshToken,
  type PlayerAuth,
  type Players,
  REFRESH_TTL_MS,
  type Registration,
  refreshSession,
  refreshTokenPlayer,
  registerPlayer,
  type SignedIn,
  sha256Hex,
} from "./auth-flow.ts";
export { PLAYER_EVENTS, type PlayerEventType } from "./events.ts";
export * as playerFields from "./fields.ts";
export { type ContentView, PLAYER_QUERIES, type PlayerProtocol, type ProfileView, playerProtocol } from "./messages.ts";
export * as playerTables from "./schema.ts";

/** Typed asks to `player@brand`. */
export const playerClient = (messenger: Messenger, brand: string): PlayerClient => protocolClient(messenger, protocol, "player", brand);
export type PlayerClient = Client<P>;

import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { playerProtocol as protocol, type PlayerProtocol as P } from "./messages.ts";

export { playerKind, type PlayerKindOptions } from "./actor.ts";
export { playerProtocol, PLAYER_QUERIES, type PlayerProtocol, type ProfileView, type ContentView } from "./messages.ts";
export { PLAYER_EVENTS, type PlayerEventType } from "./events.ts";
export * as playerFields from "./fields.ts";
export * as playerTables from "./schema.ts";
export {
  registerPlayer,
  logIn,
  refreshSession,
  refreshTokenPlayer,
  confirmPassword,
  changeOwnPassword,
  hashPassword,
  sha256Hex,
  mintRefreshToken,
  REFRESH_TTL_MS,
  type AccessIssuer,
  type LogInInput,
  type PlayerAuth,
  type Players,
  type SignedIn,
  type Registration,
} from "./auth-flow.ts";

/** Typed asks to `player@brand`. */
export const playerClient = (messenger: Messenger, brand: string): PlayerClient => protocolClient(messenger, protocol, "player", brand);
export type PlayerClient = Client<P>;

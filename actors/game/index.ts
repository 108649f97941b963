import { type Client, protocolClient } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { gameProtocol as brandProtocol, gameRegistryProtocol as registryProtocol } from "./messages.ts";

export { withSwitchesVisibleTo } from "./brand-switches.ts";
export { GameDomain, type GameView as GameEdgeView, gameDomain, startGameDomain } from "./domain.ts";
export { GAME_EVENTS, PROJECTED_EVENTS } from "./events.ts";
export { addressAllowed } from "./ip-allow-list.ts";
export {
  DIALECTS,
  type Dialect,
  dialectSchema,
  GAME_CATEGORIES,
  type GameCategory,
  type GameProtocol,
  type GameRegistryProtocol,
  type GameView,
  gameCategorySchema,
  gameCodeSchema,
  gameProtocol,
  gameRegistryProtocol,
  gameView,
  launchReply,
  type ProviderView,
  playerIdSchema,
  providerCodeSchema,
  providerView,
  providerWithSecret,
  type RoundView,
  roundDetailView,
  roundIdSchema,
  roundView,
  type SessionView,
  sessionView,
} from "./messages.ts";
export { newProviderSecret, signatureMatches, signBody, signingKey } from "./provider-signature.ts";
export { GameRegistry } from "./registry.ts";
export { REGISTRY_ADDRESS } from "./registry-actor.ts";
export { gameKey, pageAfter, providerKey, type RegistryPageQuery, registryPageQuery } from "./registry-pages.ts";
export { type SessionClaims, SessionTokens, type TokenCheck } from "./session-token.ts";

/** Typed asks to `game@brand` (launch sessions, rounds). */
export const gameClient = (messenger: Messenger, brand: string): GameClient => protocolClient(messenger, brandProtocol, "game", brand);
export type GameClient = Client<typeof brandProtocol>;
/** Typed asks to the global `game_registry` (providers, games, enablement). */
export const gameRegistryClient = (messenger: Messenger): GameRegistryClient => protocolClient(messenger, registryProtocol, "game_registry", null);
export type GameRegistryClient = Client<typeof registryProtocol>;

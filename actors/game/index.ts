import { protocolClient, type Client } from "../runtime/client.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { gameProtocol as brandProtocol, gameRegistryProtocol as registryProtocol } from "./messages.ts";

export { gameDomain, startGameDomain, GameDomain, type GameView as GameEdgeView } from "./domain.ts";
export { GameRegistry } from "./registry.ts";
export { SessionTokens, type SessionClaims, type TokenCheck } from "./session-token.ts";
export { signBody, signatureMatches, signingKey, newProviderSecret } from "./provider-signature.ts";
export { addressAllowed } from "./ip-allow-list.ts";
export { REGISTRY_ADDRESS } from "./registry-actor.ts";
export { GAME_EVENTS, PROJECTED_EVENTS } from "./events.ts";
export { withSwitchesVisibleTo } from "./brand-switches.ts";
export { registryPageQuery, pageAfter, providerKey, gameKey, type RegistryPageQuery } from "./registry-pages.ts";
export {
  gameProtocol,
  gameRegistryProtocol,
  providerCodeSchema,
  gameCodeSchema,
  gameCategorySchema,
  dialectSchema,
  playerIdSchema,
  roundIdSchema,
  providerView,
  gameView,
  providerWithSecret,
  sessionView,
  roundView,
  roundDetailView,
  launchReply,
  GAME_CATEGORIES,
  DIALECTS,
  type GameProtocol,
  type GameRegistryProtocol,
  type GameCategory,
  type Dialect,
  type ProviderView,
  type GameView,
  type SessionView,
  type RoundView,
} from "./messages.ts";

/** Typed asks to `game@brand` (launch sessions, rounds). */
export const gameClient = (messenger: Messenger, brand: string): GameClient => protocolClient(messenger, brandProtocol, "game", brand);
export type GameClient = Client<typeof brandProtocol>;
/** Typed asks to the global `game_registry` (providers, games, enablement). */
export const gameRegistryClient = (messenger: Messenger): GameRegistryClient => protocolClient(messenger, registryProtocol, "game_registry", null);
export type GameRegistryClient = Client<typeof registryProtocol>;

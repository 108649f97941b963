export { gameDomain, startGameDomain, GameDomain } from "./domain.ts";
export { GameRegistry } from "./registry.ts";
export { SessionTokens, type SessionClaims, type TokenCheck } from "./session-token.ts";
export { signBody, signatureMatches, signingKey, newProviderSecret } from "./provider-signature.ts";
export { addressAllowed } from "./ip-allow-list.ts";
export { REGISTRY_ADDRESS } from "./registry-actor.ts";
export { GAME_EVENTS, PROJECTED_EVENTS } from "./events.ts";
export {
  gameProtocol,
  gameRegistryProtocol,
  providerCodeSchema,
  gameCodeSchema,
  gameCategorySchema,
  dialectSchema,
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

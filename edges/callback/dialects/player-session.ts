import type { SessionClaims } from "../../../actors/game/index.ts";
import { refused, STATUS } from "./replies.ts";
import type { CallbackCall, CallbackReply } from "./types.ts";

/**
 * What a callback may do with its token: `bet` needs a live token; `settle` (wins and
 * rollbacks) accepts an expired but genuine one, since money already won is never refused;
 * `read` is a balance. Every purpose refuses a forged token or one naming another provider
 * or game. Suspension of the player is the wallet's check (its suspended set); a disabled
 * brand or a provider or game switched off for the brand stops bets here.
 */
export type Purpose = "bet" | "settle" | "read";

export type Authorized = { claims: SessionClaims; brandDisabled: boolean; category: string | undefined };

export async function authorize(call: CallbackCall, token: string, purpose: Purpose, gameCode?: string): Promise<Authorized | CallbackReply> {
  const check = await call.game.tokens.check(token);
  if (!check.genuine) return refused(STATUS.invalidToken, check.reason);
  const claims = check.claims;
  if (claims.provider !== call.provider.code) return refused(STATUS.invalidToken, `the token was issued for provider ${claims.provider}`);
  if (gameCode !== undefined && gameCode !== claims.game) return refused(STATUS.invalidToken, `the token was issued for game ${claims.game}`);
  const brand = call.ctx.catalog.get(claims.brand);
  if (!brand) return refused(STATUS.invalidToken, `the token names brand ${claims.brand}, which does not exist`);
  const brandDisabled = brand.status !== "active";
  if (purpose === "bet") {
    if (check.expired) return refused(STATUS.tokenExpired, "the game session has expired; relaunch the game");
    if (brandDisabled) return refused(STATUS.userDisabled, `brand ${brand.id} is suspended`);
    if (!call.game.registry.gameEnabled(claims.provider, claims.game, brand.id)) {
      return refused(STATUS.invalidToken, `${claims.provider}/${claims.game} is no longer enabled for this brand; relaunch from the lobby`);
    }
  }
  return { claims, brandDisabled, category: call.game.registry.game(claims.provider, claims.game)?.category };
}

export const isReply = (value: Authorized | CallbackReply): value is CallbackReply => "http" in value;

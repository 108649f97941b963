import type { SessionClaims } from "../../../actors/game/index.ts";
import { refused, STATUS } from "./replies.ts";
import type { CallbackCall, CallbackReply } from "./types.ts";

/**
 * The player session a callback's token names. A forged token, or one naming another provider
 * or game or an unknown brand, is refused here and nothing is recorded: nothing about such a
 * request is trusted. A genuine token says who plays; what would refuse a bet (an expired
 * session, a suspended brand, a provider or game switched off for the brand) is passed to the
 * wallet as `standing`, which refuses the bet and keeps the refusal under its key, so a retry
 * with a fresh token is refused again. Wins, rollbacks and balances accept an expired token:
 * money already won is never refused.
 */
export type Authorized = { claims: SessionClaims; category: string | undefined; standing: BetStanding };
export type BetStanding = { sessionExpired: boolean; brandDisabled: boolean; gameDisabled: boolean };

export async function authorize(call: CallbackCall, token: string, gameCode?: string): Promise<Authorized | CallbackReply> {
  const check = await call.game.tokens.check(token);
  if (!check.genuine) return refused(STATUS.invalidToken, check.reason);
  const claims = check.claims;
  if (claims.provider !== call.provider.code) return refused(STATUS.invalidToken, `the token was issued for provider ${claims.provider}`);
  if (gameCode !== undefined && gameCode !== claims.game) return refused(STATUS.invalidToken, `the token was issued for game ${claims.game}`);
  const brand = call.ctx.brands.get(claims.brand);
  if (!brand) return refused(STATUS.invalidToken, `the token names brand ${claims.brand}, which does not exist`);
  const standing = {
    sessionExpired: check.expired,
    brandDisabled: brand.status !== "active",
    gameDisabled: !call.game.registry.gameEnabled(claims.provider, claims.game, brand.id),
  };
  return { claims, category: call.game.registry.game(claims.provider, claims.game)?.category, standing };
}

export const isReply = (value: Authorized | CallbackReply): value is CallbackReply => "http" in value;

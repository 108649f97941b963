import { z } from "zod";
import { gameCodeSchema } from "../../../actors/game/index.ts";
import type { Outcome } from "../../../actors/runtime/errors.ts";
import { externalIdSchema, MAX_AMOUNT } from "../../../actors/runtime/fields.ts";
import { authorize, isReply } from "./player-session.ts";
import { STATUS, walletRefusal } from "./replies.ts";
import { type CallbackCall, type CallbackReply, type DialectAdapter, operation } from "./types.ts";
import { askWallet } from "./wallet-call.ts";

/** Fields of the `standard` dialect (snake_case on the wire); the `batch` dialect shares them. */
export const token = z.string().min(1).max(4096).describe("the game-session token of the launch");
/** a provider's id of a transaction, round or action: printable, no spaces or control characters */
export const reference = externalIdSchema;
export const gameCode = gameCodeSchema;
/** minor units as a JSON integer, at most what one request may move */
export const amount = z.number().int().min(0).max(Number(MAX_AMOUNT));
export const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code like KRW");
const money = { token, transaction_uuid: reference, round: reference, game_code: gameCode };

const balanceRequest = z.object({ token });
const betRequest = z.object({ ...money, amount, currency });
const winRequest = z.object({ ...money, reference_transaction_uuid: reference, amount, currency });
const rollbackRequest = z.object({ ...money, reference_transaction_uuid: reference });

type MoneyReply = { transactionId: string; balance: string; currency: string };

const balanceReply = z.object({ status: z.literal("RS_OK"), user: z.string(), currency: z.string(), balance: z.number().int() }).meta({ id: "StandardBalanceReply" });
const moneyReplySchema = balanceReply.extend({ transaction_id: z.string() }).meta({ id: "StandardTransactionReply" });

function moneyReply(outcome: Outcome<MoneyReply>, user: string): CallbackReply {
  if (!outcome.ok) return walletRefusal(outcome.error);
  const r = outcome.value;
  return { http: 200, body: { status: STATUS.ok, user, currency: r.currency, balance: BigInt(r.balance), transaction_id: r.transactionId } };
}

const common = (call: CallbackCall, input: { transaction_uuid: string; round: string; game_code: string }, player: string, category: string | undefined) => ({
  provider: call.provider.code,
  player,
  round: input.round,
  gameCode: input.game_code,
  gameCategory: category,
  transactionUuid: input.transaction_uuid,
});

/**
 * `standard`: one endpoint per canonical wallet command, `POST /user/balance`,
 * `/transaction/bet`, `/transaction/win`, `/transaction/rollback`.
 */
export const standardDialect: DialectAdapter = {
  name: "standard",
  operations: {
    "user/balance": operation({ summary: "standard: the player's cash balance", reply: balanceReply, readOnly: true }, balanceRequest, async (input, call) => {
      const auth = await authorize(call, input.token);
      if (isReply(auth)) return auth;
      const outcome = await askWallet(call, auth.claims.brand, "balance", { owner: { kind: "player", id: auth.claims.player } });
      if (!outcome.ok) return walletRefusal(outcome.error);
      return { http: 200, body: { status: STATUS.ok, user: auth.claims.player, currency: outcome.value.currency, balance: BigInt(outcome.value.cash) } };
    }),

    "transaction/bet": operation({ summary: "standard: a bet (idempotent by transaction_uuid)", reply: moneyReplySchema }, betRequest, async (input, call) => {
      const auth = await authorize(call, input.token, input.game_code);
      if (isReply(auth)) return auth;
      const body = { ...common(call, input, auth.claims.player, auth.category), amount: input.amount, currency: input.currency, ...auth.standing };
      return moneyReply(await askWallet(call, auth.claims.brand, "bet", body), auth.claims.player);
    }),

    "transaction/win": operation({ summary: "standard: a win on a bet (accepted with an expired token)", reply: moneyReplySchema }, winRequest, async (input, call) => {
      const auth = await authorize(call, input.token, input.game_code);
      if (isReply(auth)) return auth;
      const body = {
        ...common(call, input, auth.claims.player, auth.category),
        referenceTransactionUuid: input.reference_transaction_uuid,
        amount: input.amount,
        currency: input.currency,
      };
      return moneyReply(await askWallet(call, auth.claims.brand, "win", body), auth.claims.player);
    }),

    "transaction/rollback": operation({ summary: "standard: a rollback refunding a bet once", reply: moneyReplySchema }, rollbackRequest, async (input, call) => {
      const auth = await authorize(call, input.token, input.game_code);
      if (isReply(auth)) return auth;
      const body = { ...common(call, input, auth.claims.player, auth.category), referenceTransactionUuid: input.reference_transaction_uuid };
      return moneyReply(await askWallet(call, auth.claims.brand, "rollback", body), auth.claims.player);
    }),
  },
};

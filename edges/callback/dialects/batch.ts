import { z } from "zod";
import type { Outcome } from "../../../actors/runtime/errors.ts";
import { authorize, isReply } from "./player-session.ts";
import { STATUS, walletRefusal } from "./replies.ts";
import { amount, currency, gameCode, reference, token } from "./standard.ts";
import { type CallbackReply, type DialectAdapter, operation } from "./types.ts";
import { askWallet, type WalletReply } from "./wallet-call.ts";

const distinctActionIds = (actions: { action_id: string }[]) => new Set(actions.map((a) => a.action_id)).size === actions.length;
const actionList = <T extends z.ZodType<{ action_id: string }>>(action: T) => z.array(action).min(1).max(100).refine(distinctActionIds, "every action_id of one call must differ");

const playRequest = z.object({
  token,
  round: reference,
  game_code: gameCode,
  currency,
  finished: z.boolean(),
  actions: actionList(z.object({ action: z.enum(["bet", "win"]), action_id: reference, amount })),
});
const rollbackRequest = z.object({
  token,
  round: reference,
  actions: actionList(z.object({ action_id: reference, original_action_id: reference })),
});

const batchReplySchema = z
  .object({
    status: z.literal("RS_OK"),
    balance: z.number().int(),
    currency: z.string(),
    transactions: z.array(z.object({ action_id: z.string(), transaction_id: z.string() })),
  })
  .meta({ id: "BatchReply" });

function batchReply(outcome: Outcome<WalletReply<"batch">>): CallbackReply {
  if (!outcome.ok) {
    const actionId = (outcome.error.details as { actionId?: string } | undefined)?.actionId;
    return walletRefusal(outcome.error, actionId === undefined ? {} : { action_id: actionId });
  }
  const r = outcome.value;
  const transactions = r.transactions.map((t) => ({ action_id: t.actionId, transaction_id: t.transactionId }));
  return { http: 200, body: { status: STATUS.ok, balance: BigInt(r.balance), currency: r.currency, transactions } };
}

/**
 * `batch`: a whole round step in one call, `POST /play` (bets and wins, all or none) and
 * `POST /rollback`; idempotent per action_id. A play with a new bet needs a live token (the
 * wallet refuses it and keeps the refusal under that bet's action id); wins and rollbacks
 * accept an expired one.
 */
export const batchDialect: DialectAdapter = {
  name: "batch",
  operations: {
    play: operation({ summary: "batch: a round step, its bets and wins applied all or none", reply: batchReplySchema }, playRequest, async (input, call) => {
      const auth = await authorize(call, input.token, input.game_code);
      if (isReply(auth)) return auth;
      const outcome = await askWallet(call, auth.claims.brand, "batch", {
        provider: call.provider.code,
        player: auth.claims.player,
        round: input.round,
        gameCode: input.game_code,
        gameCategory: auth.category,
        currency: input.currency,
        ...auth.standing,
        finished: input.finished,
        actions: input.actions.map((a) => ({ action: a.action, actionId: a.action_id, amount: a.amount })),
      });
      return batchReply(outcome);
    }),

    rollback: operation({ summary: "batch: rollbacks of a round's actions", reply: batchReplySchema }, rollbackRequest, async (input, call) => {
      const auth = await authorize(call, input.token);
      if (isReply(auth)) return auth;
      const outcome = await askWallet(call, auth.claims.brand, "batch", {
        provider: call.provider.code,
        player: auth.claims.player,
        round: input.round,
        gameCode: auth.claims.game,
        gameCategory: auth.category,
        actions: input.actions.map((a) => ({ action: "rollback" as const, actionId: a.action_id, originalActionId: a.original_action_id })),
      });
      return batchReply(outcome);
    }),
  },
};

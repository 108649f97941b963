import type { z } from "zod";
import type { Outcome } from "../../../actors/runtime/errors.ts";
import type { walletProtocol } from "../../../actors/wallet/index.ts";
import type { CallbackCall } from "./types.ts";

type WalletCommand = "bet" | "win" | "rollback" | "batch" | "balance";
type WalletBody<K extends WalletCommand> = z.input<(typeof walletProtocol)[K]["body"]>;
export type WalletReply<K extends WalletCommand> = z.infer<(typeof walletProtocol)[K]["reply"]>;

/**
 * The hot path's only hop: ask `wallet@brand` and wait for its committed decision. A wallet
 * the supervisor marked degraded is not asked at all.
 */
export async function askWallet<K extends WalletCommand>(call: CallbackCall, brand: string, type: K, body: WalletBody<K>): Promise<Outcome<WalletReply<K>>> {
  const degraded = call.ctx.operations.degradation("wallet", brand);
  if (degraded) return { ok: false, error: { code: "degraded", message: `the wallet of ${brand} is recovering; retry in ${Math.ceil(degraded.retryAfterMs / 1000)} s` } };
  const ask = call.ctx.clients.wallet(brand)[type] as (body: WalletBody<K>) => Promise<Outcome<WalletReply<K>>>;
  // a replay staff made is theirs: the wallet audits what it moves
  return ask(call.by && type !== "balance" ? { ...body, by: call.by } : body);
}

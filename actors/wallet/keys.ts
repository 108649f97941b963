import type { RequestKind } from "./ledger.ts";

/**
 * Idempotency keys, unique per brand. Provider keys are (provider, transaction uuid); the
 * others name the command and the caller's id for it. Prefixes keep the families apart.
 */
export const idempotencyKeys = {
  provider: (provider: string, transactionUuid: string) => `p:${provider}:${transactionUuid}`,
  /** a player's round at a provider (JSON keeps a ':' in either id from joining two rounds) */
  round: (provider: string, player: string, round: string) => `round:${provider}:${JSON.stringify([player, round])}`,
  request: (kind: RequestKind, requestId: string) => `${kind}:${requestId}`,
  decision: (kind: RequestKind, verdict: "approved" | "rejected", requestId: string) => `${kind}-${verdict}:${requestId}`,
  bonusGrant: (grantId: string) => `bonus-grant:${grantId}`,
  bonusConvert: (conversionId: string) => `bonus-convert:${conversionId}`,
  bonusForfeit: (forfeitId: string) => `bonus-forfeit:${forfeitId}`,
  adjust: (adjustmentId: string) => `adjust:${adjustmentId}`,
  transfer: (transferId: string) => `transfer:${transferId}`,
  /** a settlement line: the owner names it (period, beneficiary and kind), so it is paid once */
  settlement: (lineId: string) => `settlement:${lineId}`,
};

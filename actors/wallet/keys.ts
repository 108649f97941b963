import type { RequestKind } from "./ledger.ts";

/**
 * Idempotency keys, unique per brand. Provider keys are (provider, transaction uuid); the
 * others name the command and the caller's id for it. Each family's tag ends at the first
 * `:` (no tag holds one), so two families never share a key. Within a bonus conversion's and
 * forfeit's family the wallet keeps its own ids under `rolling:` (a record's settlement): a
 * caller's id there is refused (`RESERVED_BONUS_ID`, checked in messages.ts), so no caller's
 * conversion can take the key of a record's settlement, or the other way round.
 */
/** the ids within `bonus-convert:` and `bonus-forfeit:` the wallet keeps for a record's settlement */
export const RESERVED_BONUS_ID = "rolling:";

export const idempotencyKeys = {
  provider: (provider: string, transactionUuid: string) => `p:${provider}:${transactionUuid}`,
  /** a player's round at a provider (JSON keeps a ':' in either id from joining two rounds) */
  round: (provider: string, player: string, round: string) => `round:${provider}:${JSON.stringify([player, round])}`,
  request: (kind: RequestKind, requestId: string) => `${kind}:${requestId}`,
  decision: (kind: RequestKind, verdict: "approved" | "rejected", requestId: string) => `${kind}-${verdict}:${requestId}`,
  bonusGrant: (grantId: string) => `bonus-grant:${grantId}`,
  bonusConvert: (conversionId: string) => `bonus-convert:${conversionId}`,
  bonusForfeit: (forfeitId: string) => `bonus-forfeit:${forfeitId}`,
  /** a bonus record's conversion (completed) or forfeit (expired, cancelled): one per record, in the family's reserved ids */
  bonusSettlement: (close: "completed" | "expired" | "cancelled", rollingId: string) =>
    close === "completed" ? `bonus-convert:${RESERVED_BONUS_ID}${rollingId}` : `bonus-forfeit:${RESERVED_BONUS_ID}${rollingId}`,
  adjust: (adjustmentId: string) => `adjust:${adjustmentId}`,
  transfer: (transferId: string) => `transfer:${transferId}`,
  /** a settlement line: the owner names it (period, beneficiary and kind), so it is paid once */
  settlement: (lineId: string) => `settlement:${lineId}`,
};

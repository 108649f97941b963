import type { Outcome } from "../runtime/errors.ts";
import type { TxStatus } from "./ledger.ts";
import type { WalletSettings } from "./settings.ts";

/** The rows a wallet batch's decisions collect for its commit. */

/** What a decision records besides its postings. */
export type TxEntry = {
  key: string;
  kind: string;
  fingerprint: string;
  status: TxStatus;
  refusalCode?: string;
  amount: bigint;
  player: string | null;
  reference?: string | null;
  round?: string;
  gameCode?: string;
  gameCategory?: string;
  provider?: string;
  metadata?: Record<string, unknown>;
};

export type TxRow = TxEntry & { id: string; reply: Outcome; messageId: string | null };
/** `number`: the posting's place in the brand's ledger (`LedgerCache.lastPosting`) */
export type PostingRow = { number: bigint; transactionId: string; accountId: string; amount: bigint; balanceAfter: bigint };
export type EventRow = { eventId: string; type: string; payload: Record<string, unknown> };

/** What a batch is decided under besides the caches: the brand's settings (read when first needed) and the time. */
export type TurnContext = { settings: () => WalletSettings | undefined; now: number };

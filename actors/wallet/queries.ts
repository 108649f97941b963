import type { SqlExecutor } from "../runtime/central-store.ts";
import type { RequestKind } from "./ledger.ts";
import type { Reply } from "./messages.ts";

/** Read-only queries the writer answers from the store after its batch committed. */

const NO_CURSOR = "9223372036854775807";

/** An account's postings newest first, in the order they committed (the brand's posting numbers); the cursor is a posting number. */
export async function statementOf(db: SqlExecutor, accountId: string | null, cursor: string | undefined, limit: number): Promise<Reply<"transactions">> {
  if (accountId === null) return { items: [], nextCursor: null };
  const rows = await db.query<StatementRow>(
    `SELECT p.number, p.amount, p.balance_after, t.id, t.kind, t.created_at, t.round_id, t.game_code, t.provider, t.reference, t.metadata
     FROM wallet_postings p JOIN wallet_transactions t ON t.id = p.transaction_id
     WHERE p.account_id = $1 AND p.number < $2::int8
     ORDER BY p.number DESC LIMIT $3`,
    [accountId, cursor ?? NO_CURSOR, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      transactionId: r.id,
      kind: r.kind,
      amount: String(r.amount),
      balanceAfter: String(r.balance_after),
      at: new Date(r.created_at).toISOString(),
      round: r.round_id,
      gameCode: r.game_code,
      provider: r.provider,
      reference: r.reference,
      metadata: r.metadata,
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.number) : null,
  };
}

type StatementRow = {
  /** the posting's number in the brand's ledger: commit order, and the cursor */
  number: bigint;
  amount: bigint;
  balance_after: bigint;
  id: string;
  kind: string;
  created_at: Date | string;
  round_id: string | null;
  game_code: string | null;
  provider: string | null;
  reference: string | null;
  metadata: unknown;
};

/** Pending requests oldest first: the back office's queue. */
export async function pendingQueue(db: SqlExecutor, brand: string, kind: RequestKind, cursor: string | undefined, limit: number): Promise<Reply<"pendingRequests">> {
  const rows = await db.query<{ seq: bigint; id: string; player_id: string; amount: bigint; created_at: Date | string; details: unknown }>(
    `SELECT seq, id, player_id, amount, created_at, details FROM wallet_requests
     WHERE brand_id = $1 AND kind = $2 AND status = 'pending' AND seq > $3::int8
     ORDER BY seq LIMIT $4`,
    [brand, kind, cursor ?? "0", limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      requestId: r.id,
      player: r.player_id,
      amount: String(r.amount),
      at: new Date(r.created_at).toISOString(),
      details: r.details,
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null,
  };
}

/** One player's requests of a kind, newest first. */
export async function requestsOf(db: SqlExecutor, brand: string, player: string, kind: RequestKind, cursor: string | undefined, limit: number): Promise<Reply<"playerRequests">> {
  const rows = await db.query<{
    seq: bigint;
    id: string;
    amount: bigint;
    status: "pending" | "approved" | "rejected";
    created_at: Date | string;
    decided_at: Date | string | null;
    reason: string | null;
    details: unknown;
  }>(
    `SELECT seq, id, amount, status, created_at, decided_at, reason, details FROM wallet_requests
     WHERE brand_id = $1 AND player_id = $2 AND kind = $3 AND seq < $4::int8
     ORDER BY seq DESC LIMIT $5`,
    [brand, player, kind, cursor ?? NO_CURSOR, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      requestId: r.id,
      kind,
      amount: String(r.amount),
      status: r.status,
      at: new Date(r.created_at).toISOString(),
      decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
      reason: r.reason,
      details: r.details,
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null,
  };
}

import type { SqlExecutor } from "../runtime/central-store.ts";
import { WALLET_EVENTS } from "./events.ts";
import { asJson } from "./ledger-reads.ts";
import type { ReconciliationReport } from "./messages.ts";

/**
 * The ledger's invariants, checked against the store: every account's balance equals the
 * sum of its postings, and every transaction's postings sum to zero. Each check is one
 * statement, so it sees one consistent snapshot while the writer goes on.
 * `brand` omitted checks every brand (the operator CLI).
 */
export async function reconcile(db: SqlExecutor, brand?: string): Promise<ReconciliationReport> {
  const scope = brand ?? null;
  const [accounts, transactions, counts] = await Promise.all([
    db.query<{ brand_id: string; id: string; balance: bigint; postings: bigint }>(brand ? ACCOUNTS_OF_BRAND : ACCOUNTS_ALL, brand ? [brand] : []),
    db.query<{ brand_id: string; transaction_id: string; total: bigint }>(brand ? UNBALANCED_OF_BRAND : UNBALANCED_ALL, brand ? [brand] : []),
    db.query<{ brands: string[] | null; accounts: bigint; transactions: bigint }>(COUNTS, [scope]),
  ]);
  const accountMismatches = accounts.map((r) => ({
    brand: r.brand_id,
    accountId: r.id,
    balance: String(r.balance),
    postings: String(r.postings),
  }));
  const unbalancedTransactions = transactions.map((r) => ({ brand: r.brand_id, transactionId: r.transaction_id, sum: String(r.total) }));
  const count = counts[0]!;
  return {
    brands: brand ? [brand] : (count.brands ?? []),
    accountsChecked: Number(count.accounts),
    transactionsChecked: Number(count.transactions),
    accountMismatches,
    unbalancedTransactions,
    ok: accountMismatches.length === 0 && unbalancedTransactions.length === 0,
  };
}

/** Report a failed reconciliation as an event (never hidden, never corrected silently). */
export async function publishMismatch(db: SqlExecutor, brand: string, report: ReconciliationReport): Promise<void> {
  const payload = {
    brand,
    accountMismatches: report.accountMismatches.slice(0, 100),
    unbalancedTransactions: report.unbalancedTransactions.slice(0, 100),
    accountMismatchCount: report.accountMismatches.length,
    unbalancedTransactionCount: report.unbalancedTransactions.length,
  };
  await db.query("INSERT INTO outbox (event_id, brand_id, type, payload) VALUES ($1, $2, $3, $4::text::jsonb)", [
    Bun.randomUUIDv7(),
    brand,
    WALLET_EVENTS.reconciliationMismatch,
    asJson(payload),
  ]);
}

const POSTINGS_OF = "COALESCE((SELECT sum(p.amount) FROM wallet_postings p WHERE p.account_id = a.id), 0)";
const ACCOUNTS_OF_BRAND = `SELECT * FROM (SELECT a.brand_id, a.id, a.balance, ${POSTINGS_OF} AS postings
  FROM wallet_accounts a WHERE a.brand_id = $1) c WHERE c.balance <> c.postings`;
const ACCOUNTS_ALL = `SELECT * FROM (SELECT a.brand_id, a.id, a.balance, ${POSTINGS_OF} AS postings
  FROM wallet_accounts a) c WHERE c.balance <> c.postings`;
// through the brand's accounts, so a transaction with a leg in another brand shows as unbalanced
const UNBALANCED_OF_BRAND = `SELECT a.brand_id, p.transaction_id, sum(p.amount) AS total
  FROM wallet_accounts a JOIN wallet_postings p ON p.account_id = a.id
  WHERE a.brand_id = $1 GROUP BY a.brand_id, p.transaction_id HAVING sum(p.amount) <> 0`;
const UNBALANCED_ALL = `SELECT min(p.brand_id) AS brand_id, p.transaction_id, sum(p.amount) AS total
  FROM wallet_postings p GROUP BY p.transaction_id HAVING sum(p.amount) <> 0`;
const COUNTS = `SELECT
  (SELECT array_agg(DISTINCT brand_id) FROM wallet_accounts WHERE $1::text IS NULL OR brand_id = $1) AS brands,
  (SELECT count(*) FROM wallet_accounts WHERE $1::text IS NULL OR brand_id = $1) AS accounts,
  (SELECT count(*) FROM wallet_transactions WHERE $1::text IS NULL OR brand_id = $1) AS transactions`;

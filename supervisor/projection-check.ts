import type { CentralStore } from "../actors/runtime/central-store.ts";
import type { Logger } from "../actors/runtime/log.ts";
import type { RuntimeMetrics } from "../actors/runtime/metrics.ts";
import type { ProjectionReport, ProviderMoney } from "../actors/runtime/operations.ts";
import { POSTGRES_OUTBOX } from "../actors/runtime/outbox-postgres.ts";
import type { OutboxRelay } from "../actors/runtime/outbox-relay.ts";
import type { ShardPool } from "../shards/index.ts";

/** The game rounds of a brand against its ledger, before anything is done about a gap. */
export type ProjectionComparison = Omit<ProjectionReport, "action" | "events">;

/** The ledger transactions the wallet publishes as round events (a rollback only when it refunds). */
const PROJECTED_TRANSACTIONS = `
  SELECT id::text AS id, kind, amount, created_at FROM wallet_transactions
  WHERE brand_id = $1 AND created_at >= $2::text::timestamptz AND status = 'accepted' AND provider IS NOT NULL
    AND (kind IN ('bet', 'win') OR (kind = 'rollback' AND amount > 0))
  ORDER BY created_at`;

const LOOKUP_CHUNK = 500;

type LedgerRow = { id: string; kind: "bet" | "win" | "rollback"; amount: bigint; created_at: Date | string };

/**
 * Compare the game rounds (the brand's shard) with the ledger over a window: every bet, win
 * and refund the wallet committed since `since` must be an entry of a round. Events lost on
 * their way (Redis lost its streams) show as missing transactions.
 */
export async function checkRoundProjection(deps: { store: CentralStore; shards: ShardPool }, brand: string, since: number): Promise<ProjectionComparison> {
  const ledgerRows = await deps.store.query<LedgerRow>(PROJECTED_TRANSACTIONS, [brand, new Date(since).toISOString()]);
  const projected = new Map<string, { kind: string; amount: bigint }>();
  const shard = deps.shards.acquire(brand);
  try {
    for (let i = 0; i < ledgerRows.length; i += LOOKUP_CHUNK) {
      const ids = ledgerRows.slice(i, i + LOOKUP_CHUNK).map((r) => r.id);
      const rows = shard.sqlite
        .query<{ transaction_id: string; kind: string; amount: bigint }, string[]>(
          `SELECT transaction_id, kind, amount FROM game_round_entries WHERE transaction_id IN (${ids.map(() => "?").join(",")})`,
        )
        .safeIntegers(true)
        .all(...ids);
      for (const row of rows) projected.set(row.transaction_id, { kind: row.kind, amount: BigInt(row.amount) });
    }
  } finally {
    deps.shards.release(brand);
  }
  const missing = ledgerRows.filter((r) => !projected.has(r.id));
  const report = {
    brand,
    since: new Date(since).toISOString(),
    ledger: totals(ledgerRows.map((r) => ({ kind: r.kind, amount: BigInt(r.amount) }))),
    rounds: totals([...projected.values()]),
    missing: missing.length,
    firstMissingAt: missing.length > 0 ? new Date(missing[0]!.created_at).toISOString() : null,
  };
  return { ...report, ok: report.missing === 0 };
}

/** Publish the brand's wallet events again from the first missing transaction on; the rounds apply each once. */
export async function repairRoundProjection(relay: OutboxRelay, report: ProjectionComparison): Promise<number> {
  if (report.firstMissingAt === null) return 0;
  // a second of margin: the outbox row is written in the same transaction, a moment apart
  const from = Date.parse(report.firstMissingAt) - 1000;
  // the ledger's events are the wallet's: replay the central outbox only, never the shards' events
  const replayed = await relay.replay(from, { brand: report.brand, source: POSTGRES_OUTBOX });
  await relay.relayNow();
  return replayed;
}

function totals(entries: { kind: string; amount: bigint }[]): ProviderMoney {
  const sum = { bet: 0n, win: 0n, rollback: 0n };
  for (const e of entries) sum[e.kind as keyof typeof sum] += e.amount;
  return { bets: String(sum.bet), wins: String(sum.win), refunds: String(sum.rollback), transactions: entries.length };
}

export type ProjectionCheckDeps = {
  store: CentralStore;
  shards: ShardPool;
  relay: OutboxRelay;
  log: Logger;
  metrics: RuntimeMetrics;
  /** the brands this node checks */
  brands: () => string[];
};

/**
 * Each brand's rounds of the last `windowMs` against the ledger, every `everyMs` (none when
 * unset) and whenever an operator asks (`checkNow`). A gap is replayed; the same gap still
 * there at a later check is an alarm (logged as an error; `projection_missing_transactions`
 * stays up). `projection_gaps_total` counts checks that found a gap, `projection_replays_total`
 * the replays.
 */
export function watchRoundProjection(deps: ProjectionCheckDeps, options: { everyMs?: number; windowMs: number }) {
  const replayedAt = new Map<string, string>();
  let running: Promise<unknown> | undefined;

  const checkBrand = async (brand: string): Promise<ProjectionReport> => {
    const report = await checkRoundProjection(deps, brand, Date.now() - options.windowMs);
    deps.metrics.projectionMissing.set({ brand }, report.missing);
    if (report.ok) {
      replayedAt.delete(brand);
      return { ...report, action: "none", events: 0 };
    }
    deps.metrics.projectionGaps.inc({ brand });
    if (replayedAt.get(brand) === report.firstMissingAt) {
      deps.log.error("game rounds still miss ledger transactions after a replay", { ...report });
      return { ...report, action: "alarm", events: 0 };
    }
    const events = await repairRoundProjection(deps.relay, report);
    replayedAt.set(brand, report.firstMissingAt!);
    deps.metrics.projectionReplays.inc({ brand });
    deps.log.warn("game rounds missed ledger transactions; the wallet's events were replayed", { brand, missing: report.missing, events });
    return { ...report, action: "replayed", events };
  };

  /** `brands` (every brand the node checks by default), one after another. */
  const checkNow = async (brands = deps.brands()): Promise<ProjectionReport[]> => {
    const reports: ProjectionReport[] = [];
    for (const brand of brands) reports.push(await checkBrand(brand));
    return reports;
  };

  const checkAllQuietly = async () => {
    for (const brand of deps.brands()) {
      await checkBrand(brand).catch((error) => deps.log.warn("projection check failed; the next one tries again", { brand, error }));
    }
  };
  const timer = options.everyMs ? setInterval(() => void (running ??= checkAllQuietly().finally(() => (running = undefined))), options.everyMs) : undefined;
  timer?.unref?.();
  return {
    checkNow,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}

export type RoundProjectionWatch = ReturnType<typeof watchRoundProjection>;

/**
 * A plain in-memory account of the wagering rules, fed the wallet's events in the order they
 * reach rolling (each event id once), to check `rolling@brand` against: records of amount ×
 * multiple (rounded up), bets counted at stake × rate (rounded down) toward the player's open
 * records created before them, oldest first; rollbacks taking back exactly what their bet
 * counted, or waiting as tombstones for it.
 */

export type ModelEvent =
  | { kind: "deposit" | "bonus"; player: string; tx: string; amount: bigint; multiplePpm: bigint }
  | { kind: "bet"; player: string; tx: string; key: string; stake: bigint; ratePpm: bigint }
  | { kind: "rollback"; player: string; key: string };

export type ModelRecord = { source: string; player: string; target: bigint; progress: bigint; status: "open" | "completed" };

const PPM = 1_000_000n;

export class ReferenceRolling {
  readonly records = new Map<string, ModelRecord>();
  /** bet key → what it counted toward (record source → amount); tombstones count nothing */
  private readonly bets = new Map<string, { rolledBack: boolean; shares: Map<string, bigint> }>();

  apply(e: ModelEvent) {
    if (e.kind === "deposit" || e.kind === "bonus") return this.credit(e.player, e.tx, e.amount, e.multiplePpm);
    if (e.kind === "bet") return this.bet(e.player, e.tx, e.key, (e.stake * e.ratePpm) / PPM);
    if (e.kind === "rollback") return this.rollback(e.key);
  }

  private credit(player: string, source: string, amount: bigint, multiplePpm: bigint) {
    if (this.records.has(source)) return;
    const target = (amount * multiplePpm + PPM - 1n) / PPM;
    this.records.set(source, { source, player, target, progress: 0n, status: target === 0n ? "completed" : "open" });
  }

  private bet(player: string, tx: string, key: string, contribution: bigint) {
    if (this.bets.has(key) || contribution === 0n) return;
    const eligible = [...this.records.values()].filter((r) => r.player === player && r.status === "open" && r.source < tx).sort((a, b) => (a.source < b.source ? -1 : 1));
    const shares = new Map<string, bigint>();
    let left = contribution;
    for (const r of eligible) {
      if (left === 0n) break;
      const take = smaller(r.target - r.progress, left);
      r.progress += take;
      left -= take;
      shares.set(r.source, take);
      if (r.progress >= r.target) r.status = "completed";
    }
    if (shares.size > 0) this.bets.set(key, { rolledBack: false, shares });
  }

  private rollback(key: string) {
    const bet = this.bets.get(key);
    if (!bet) return void this.bets.set(key, { rolledBack: true, shares: new Map() });
    if (bet.rolledBack) return;
    bet.rolledBack = true;
    for (const [source, amount] of bet.shares) this.records.get(source)!.progress -= amount;
  }
}

/** Math.min for bigints */
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);

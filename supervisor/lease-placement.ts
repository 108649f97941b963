import type { Holder, Lease, Member, PlacementChange } from "../actors/runtime/leases.ts";
import type { DrainReport, PlacementStatus } from "../actors/runtime/operations.ts";
import { GLOBAL_UNIT, leaseView, planBalance, unitOf } from "./balance.ts";
import { EXPIRY_MARGIN_MS, expiryRoundIn, type Held, joinAsOnly, type LeasedPlacementOptions, RETRY_RENEWAL_MS, TAKES_AT_ONCE } from "./lease-terms.ts";
import type { NodePlacement } from "./placement.ts";
import { SerialRounds } from "./serial-rounds.ts";
import { UnitHosting } from "./unit-hosting.ts";

/**
 * Brands placed on live nodes by leases (docs/scale-out.md). Each unit (a brand's actors
 * together, since they share its shard, or the global actors) is hosted only by the node
 * holding its lease. The node renews its membership and leases every third of their time
 * to live; a unit whose lease it could not renew in time (or found taken) is stepped down
 * from at once, and its turns stop even before that (the system's turn gate). A balance
 * round (after each renewal, and at once when another node announces a change or the
 * catalog changes) hands over extras and takes free units within the node's quota. Taking a
 * unit hosts its actors, activates those that fence (the wallet's new epoch), and claims
 * what the former holder left pending at once.
 */
export class LeasedPlacement implements NodePlacement {
  readonly instance = crypto.randomUUID().slice(0, 8);
  private held = new Map<string, Held>();
  private listeners = new Set<(brand: string, hosted: boolean) => void | Promise<void>>();
  /** units being stepped down from or handed over, until their actors are gone */
  private leaving = new Map<string, Promise<void>>();
  private hosting: UnitHosting;
  private draining = false;
  private stopped = false;
  private joinedAt = Date.now();
  private view: { members: Member[]; leases: Map<string, Lease>; at: number } = { members: [], leases: new Map(), at: 0 };
  private renewTimer: ReturnType<typeof setInterval> | undefined;
  private renewing = false;
  private rounds: SerialRounds;
  private unsubscribe: (() => Promise<void>) | undefined;
  private stopCatalog: (() => void) | undefined;
  private renewFailing = false;

  constructor(private options: LeasedPlacementOptions) {
    this.hosting = new UnitHosting(options.system);
    this.rounds = new SerialRounds(
      () => this.balance(),
      (error) => {
        // while renewals fail too, the renewal's log line says it once
        if (!this.renewFailing) options.log.warn("placement balance failed; the next round tries again", { error });
      },
    );
  }

  get drained(): boolean {
    return this.draining;
  }

  private get self(): Holder {
    return { node: this.options.node, instance: this.instance };
  }

  /** Join (waiting out a former run's membership), hear changes, take a first share of the units. */
  async start(): Promise<void> {
    this.options.system.gateTurns((brand) => this.mayTakeTurns(unitOf(brand)));
    await joinAsOnly(this.options.leases, () => this.member(), this.options.ttlMs, this.options.node);
    this.unsubscribe = await this.options.leases.onChange((change) => this.heard(change));
    // not awaited: the catalog actor announces a change inside its turn, and a round may hand
    // the global unit (that very actor) over, which waits for the turn to end
    this.stopCatalog = this.options.onBrandsChange(() => void this.rounds.soon());
    await this.announce({ kind: "joined", node: this.options.node });
    await this.balance();
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.options.ttlMs / 3)));
    this.renewTimer.unref?.();
  }

  /** Hand everything over and take nothing more; the node goes on serving its edges. */
  async drain(): Promise<DrainReport> {
    const started = performance.now();
    this.draining = true;
    // a unit being taken now is handed over with the others
    await this.rounds.settled();
    await this.options.leases.join(this.member(), this.options.ttlMs).catch((error) => this.options.log.warn("draining flag not stored", { error }));
    await this.announce({ kind: "draining", node: this.options.node });
    const released = [...this.held.keys()];
    await Promise.all(released.map((unit) => this.handOver(unit)));
    await Promise.all(this.leaving.values());
    // a fresh view, so the status says at once that this node holds nothing
    await this.rounds.soon();
    return { node: this.options.node, released: released.sort(), ms: Math.round(performance.now() - started) };
  }

  /** SIGTERM: hand everything over, then leave. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.drain();
    this.stopped = true;
    clearInterval(this.renewTimer);
    this.rounds.stop();
    this.stopCatalog?.();
    await this.rounds.settled();
    await this.options.leases.leave(this.self).catch(() => {});
    await this.announce({ kind: "left", node: this.options.node });
    await this.unsubscribe?.().catch(() => {});
  }

  status(): PlacementStatus {
    return { ...leaseView(this.view, this.units(), Date.now()), node: this.options.node, draining: this.draining };
  }

  servedUnits(): string[] {
    return [...this.held.keys()].sort();
  }

  private mayTakeTurns(unit: string): boolean {
    const held = this.held.get(unit);
    return held !== undefined && performance.now() < held.validUntil;
  }

  private units(): string[] {
    return [...this.options.brands(), GLOBAL_UNIT];
  }

  private member(): Member {
    return { ...this.self, draining: this.draining, joinedAt: this.joinedAt };
  }

  /** Renew membership and leases; step down from what could not be renewed in time; then balance. */
  private async renew(): Promise<void> {
    if (this.renewing || this.stopped) return;
    this.renewing = true;
    try {
      const sentAt = performance.now();
      if (!(await this.options.leases.join(this.member(), this.options.ttlMs))) {
        this.options.log.error("another running node took this node's name: stepping down from every unit", { node: this.options.node });
        for (const unit of [...this.held.keys()]) this.stepDown(unit);
        return;
      }
      const entries = [...this.held.entries()];
      const renewed = await this.options.leases.renew(
        entries.map(([, h]) => h.lease),
        this.options.ttlMs,
      );
      entries.forEach(([unit, held], i) => {
        if (renewed[i]) held.validUntil = Math.max(held.validUntil, this.validUntil(sentAt));
        else if (this.held.get(unit) === held) this.stepDown(unit);
      });
      if (this.renewFailing) this.options.log.info("placement leases renewed again");
      this.renewFailing = false;
    } catch (error) {
      if (!this.renewFailing) this.options.log.warn("placement leases not renewed; retrying until their time runs out", { error });
      this.renewFailing = true;
      // tried again soon, not a third of a lease later: brands are placed again within moments of Redis's return
      setTimeout(() => void this.renew(), RETRY_RENEWAL_MS).unref?.();
    } finally {
      // what could not be renewed before its lease may have run out is given up: another node may take it
      for (const [unit, held] of this.held) if (performance.now() >= held.validUntil) this.stepDown(unit);
      this.renewing = false;
    }
    void this.rounds.soon();
  }

  /** Redis counts the time to live from when it took the command, after `sentAt`: this node's deadline is earlier. */
  private validUntil(sentAt: number): number {
    return sentAt + this.options.ttlMs - Math.max(50, this.options.ttlMs / 10);
  }

  private async balance(): Promise<void> {
    const units = this.units();
    const [members, leases] = await Promise.all([this.options.leases.members(), this.options.leases.leases(units)]);
    this.view = { members, leases, at: Date.now() };
    const expiry = expiryRoundIn(leases, this.self, this.options.ttlMs);
    if (expiry !== undefined) this.rounds.at(expiry + EXPIRY_MARGIN_MS);
    const plan = planBalance({ self: this.self, units, members, leases, busy: new Set(this.leaving.keys()) });
    await Promise.all(plan.release.filter((unit) => this.held.has(unit)).map((unit) => this.handOver(unit)));
    for (let i = 0; i < plan.take.length && !this.stopped && !this.draining; i += TAKES_AT_ONCE) {
      await Promise.all(plan.take.slice(i, i + TAKES_AT_ONCE).map((unit) => this.take(unit)));
    }
  }

  /** The brands this node holds now. */
  hosted(): string[] {
    return [...this.held.keys()].filter((unit) => unit !== GLOBAL_UNIT);
  }

  /** Told each brand this node starts or stops holding (per-brand node services follow it: recon's intake loops). */
  onChange(listener: (brand: string, hosted: boolean) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async tellHosted(unit: string, hosted: boolean): Promise<void> {
    if (unit === GLOBAL_UNIT) return;
    for (const listener of this.listeners) {
      await Promise.resolve(listener(unit, hosted)).catch((error) => this.options.log.error("placement listener failed", { unit, hosted, error }));
    }
  }

  /**
   * Take a free unit: host its actors, claim at once what a former holder left pending, and
   * activate the actors that fence (the wallet takes a new epoch, so a paused former holder
   * commits nothing from now on; not awaited: a frozen former writer may hold the epoch row
   * until its session times out, and other units need not wait for that).
   */
  private async take(unit: string): Promise<void> {
    const sentAt = performance.now();
    const lease = await this.options.leases.acquire(unit, this.self, this.options.ttlMs);
    if (!lease) return;
    const held: Held = { lease, validUntil: this.validUntil(sentAt), addresses: [] };
    this.held.set(unit, held);
    try {
      held.addresses = await this.hosting.host(unit);
      void this.hosting.activate(held.addresses);
      const claimed = await this.claimFormerHolders(held);
      this.options.log.info("unit taken", { unit, claimed });
    } catch (error) {
      this.options.log.warn("unit could not be hosted; handing it back", { unit, error });
      await this.handOver(unit);
      return;
    }
    this.options.counted?.("acquired");
    await this.tellHosted(unit, true);
    await this.announce({ kind: "acquired", node: this.options.node, unit });
  }

  /**
   * What a former holder left pending, claimed now; and once more a moment later, since a
   * holder that was frozen may read a last batch as it wakes, before it finds its lease gone.
   */
  private async claimFormerHolders(held: Held): Promise<number> {
    const again = setTimeout(() => {
      if ([...this.held.values()].includes(held)) void this.options.system.claimPending(held.addresses).catch(() => {});
    }, this.options.ttlMs / 3);
    again.unref?.();
    return this.options.system.claimPending(held.addresses);
  }

  /** Stop taking the unit's work, finish its running turns, then release its lease. */
  private handOver(unit: string): Promise<void> {
    return this.leave(unit, async (held) => {
      await this.hosting.unhost(held.addresses);
      this.held.delete(unit);
      await this.options.leases.release(held.lease).catch((error) => this.options.log.warn("lease not released; it expires instead", { unit, error }));
      this.options.counted?.("released");
      await this.announce({ kind: "released", node: this.options.node, unit });
    });
  }

  /** The lease is lost (or may have run out): no new turn from now on, the running ones finish, the actors go. */
  private stepDown(unit: string): void {
    void this.leave(unit, async (held) => {
      this.held.delete(unit);
      this.options.log.warn("lease lost: stepping down from the unit", { unit });
      await this.hosting.unhost(held.addresses);
      this.options.counted?.("lost");
      await this.announce({ kind: "lost", node: this.options.node, unit });
    });
  }

  private leave(unit: string, work: (held: Held) => Promise<void>): Promise<void> {
    const held = this.held.get(unit);
    const already = this.leaving.get(unit);
    if (already || !held) return already ?? Promise.resolve();
    // the unit's node services stop first (recon's loops), then its actors go
    const done = this.tellHosted(unit, false)
      .then(() => work(held))
      .then(() => {
        if (unit !== GLOBAL_UNIT) this.options.closeShard?.(unit);
      })
      .catch((error) => this.options.log.error("leaving a unit failed", { unit, error }))
      .finally(() => this.leaving.delete(unit));
    this.leaving.set(unit, done);
    return done;
  }

  private heard(change: PlacementChange): void {
    if (change.node === this.options.node) return;
    const held = change.unit && this.held.get(change.unit);
    // a former holder that left the unit may have read entries after it stopped taking them: take them now
    if (held && (change.kind === "released" || change.kind === "lost")) {
      void this.claimFormerHolders(held).catch((error) => this.options.log.warn("claiming a former holder's entries failed", { error }));
    }
    // a unit taken frees nothing: the periodic round sees the new counts (a burst of takes would
    // otherwise cost every node a round each)
    if (change.kind !== "acquired") void this.rounds.soon();
  }

  private async announce(change: PlacementChange): Promise<void> {
    await this.options.leases.announce(change).catch((error) => this.options.log.warn("placement change not announced", { change, error }));
  }
}

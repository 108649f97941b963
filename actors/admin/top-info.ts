import { z } from "zod";
import { localDay } from "../runtime/local-day.ts";

/** The counters at the top of every back-office page, for one brand. */
export const topInfoCountersSchema = z.object({
  pendingDeposits: z.number(),
  pendingWithdrawals: z.number(),
  /** agents' own withdrawals waiting for staff */
  pendingAgentWithdrawals: z.number(),
  newPlayersToday: z.number(),
  unreadInquiries: z.number(),
  onlinePlayers: z.number(),
  reconciliationAlarms: z.number(),
  /** bank notices recon could not match alone, waiting for staff */
  unmatchedReconMessages: z.number(),
  /** recon intake loops failing to reach their upstream: an alarm until they recover */
  reconLoopsDown: z.number(),
});
export type TopInfoCounters = z.infer<typeof topInfoCountersSchema>;

export type ItemKind = "deposit" | "withdrawal" | "agent_withdrawal" | "inquiry" | "online" | "new_player" | "alarm" | "recon_review" | "recon_loop_down";
export type Item = { playerId: string | null; at: number };

/** The open items of one brand, by kind and id, with the counters they make. */
export class TopInfoItems {
  private items = new Map<ItemKind, Map<string, Item>>();

  constructor(
    /** "today" is the brand's local day */
    private timeZone: string,
    /** a session counts as online this long after its login */
    private onlineMs: number,
  ) {}

  set(kind: ItemKind, id: string, item: Item) {
    this.of(kind).set(id, item);
  }

  delete(kind: ItemKind, id: string): boolean {
    return this.of(kind).delete(id);
  }

  clear(kind: ItemKind) {
    this.items.delete(kind);
  }

  entries(kind: ItemKind): [string, Item][] {
    return [...this.of(kind).entries()];
  }

  setTimeZone(timeZone: string) {
    this.timeZone = timeZone;
  }

  counters(now: number): TopInfoCounters {
    const today = localDay(now, this.timeZone);
    const online = new Set<string>();
    for (const [id, item] of this.of("online")) if (now - item.at < this.onlineMs) online.add(item.playerId ?? id);
    let newPlayers = 0;
    for (const item of this.of("new_player").values()) if (localDay(item.at, this.timeZone) === today) newPlayers += 1;
    return {
      pendingDeposits: this.of("deposit").size,
      pendingWithdrawals: this.of("withdrawal").size,
      pendingAgentWithdrawals: this.of("agent_withdrawal").size,
      newPlayersToday: newPlayers,
      unreadInquiries: this.of("inquiry").size,
      onlinePlayers: online.size,
      reconciliationAlarms: this.of("alarm").size,
      unmatchedReconMessages: this.of("recon_review").size,
      reconLoopsDown: this.of("recon_loop_down").size,
    };
  }

  /** Items no counter will count again: new players of earlier days, sessions past the window. */
  stale(now: number): { kind: ItemKind; id: string }[] {
    const today = localDay(now, this.timeZone);
    const out: { kind: ItemKind; id: string }[] = [];
    for (const [id, item] of this.of("new_player")) if (localDay(item.at, this.timeZone) !== today) out.push({ kind: "new_player", id });
    for (const [id, item] of this.of("online")) if (now - item.at >= this.onlineMs) out.push({ kind: "online", id });
    return out;
  }

  private of(kind: ItemKind): Map<string, Item> {
    let m = this.items.get(kind);
    if (!m) this.items.set(kind, (m = new Map()));
    return m;
  }
}

export function sameCounters(a: TopInfoCounters | undefined, b: TopInfoCounters): boolean {
  return a !== undefined && (Object.keys(b) as (keyof TopInfoCounters)[]).every((k) => a[k] === b[k]);
}

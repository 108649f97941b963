import { RS } from "../../actors/wallet/index.ts";

/**
 * A deliberately plain model of the wallet for property tests: one command at a time, no
 * caches, no batches, every rule spelled out. The actor must agree with it on every
 * outcome and on every final balance.
 */

export type ModelCommand =
  | {
      type: "adjust";
      body: { adjustmentId: string; owner: { kind: "player" | "agent"; id: string }; amount: bigint; reason: string; by: { staffId: string | null; username: string } };
    }
  | { type: "bet"; body: { provider: string; player: string; round: string; transactionUuid: string; amount: bigint } }
  | { type: "win"; body: { provider: string; player: string; round: string; transactionUuid: string; referenceTransactionUuid?: string; amount: bigint } }
  | { type: "rollback"; body: { provider: string; player: string; round: string; transactionUuid: string; referenceTransactionUuid: string } }
  | { type: "transfer"; body: { transferId: string; agent: string; player: string; direction: "agent_to_player" | "player_to_agent"; amount: bigint } }
  | { type: "depositRequest" | "withdrawalRequest"; body: { requestId: string; player: string; amount: bigint } }
  | { type: "depositApprove" | "withdrawalApprove" | "withdrawalReject"; body: { requestId: string } }
  | { type: "batch"; body: { provider: string; player: string; round: string; actions: ModelAction[] } };

/** One action of the batch dialect's call: its wins name no bet, they are settled by round. */
export type ModelAction = { action: "bet" | "win"; actionId: string; amount: bigint } | { action: "rollback"; actionId: string; originalActionId: string };

/** "ok" or the refusal code, and the player's cash after, when the reply says it. */
export type ModelOutcome = { result: string; balance?: bigint };

/** `round`: the player's round a batch bet or a win naming no bet belongs to */
type Kept = { fields: string; status: "accepted" | "refused"; code?: string; kind: string; player: string; amount: bigint; round?: string };
type Play = { provider: string; player: string; round: string; transactionUuid: string };
type Request = { kind: "deposit" | "withdrawal"; player: string; amount: bigint; status: "pending" | "approved" | "rejected" };

export class ReferenceWallet {
  balances = new Map<string, bigint>();
  private kept = new Map<string, Kept>();
  private settled = new Set<string>();
  private rolledBack = new Set<string>();
  private requests = new Map<string, Request>();

  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  apply(command: ModelCommand): ModelOutcome {
    const c = command as { type: string; body: any };
    switch (c.type) {
      case "bet":
        return this.bet(c.body);
      case "win":
        return this.win(c.body);
      case "rollback":
        return this.rollback(c.body);
      case "batch":
        return this.batch(c.body);
      case "adjust":
        return this.adjust(c.body);
      case "transfer":
        return this.transfer(c.body);
      case "depositRequest":
      case "withdrawalRequest":
        return this.request(c.type === "depositRequest" ? "deposit" : "withdrawal", c.body);
      default:
        return this.decide(c.type, c.body.requestId);
    }
  }

  private move(from: string, to: string, amount: bigint) {
    this.balances.set(from, this.balance(from) - amount);
    this.balances.set(to, this.balance(to) + amount);
  }

  private cash(player: string) {
    return this.balance(`player:${player}:cash`);
  }

  /** The same key again: replay if the same request, else a duplicate. */
  private seen(key: string, fields: string, duplicateCode: string, player: string): ModelOutcome | undefined {
    const kept = this.kept.get(key);
    if (!kept) return undefined;
    if (kept.fields !== fields) return { result: duplicateCode };
    return kept.status === "accepted" ? { result: "ok", balance: this.cash(player) } : { result: kept.code! };
  }

  private keep(key: string, fields: string, kind: string, player: string, amount: bigint, code?: string, round?: string): ModelOutcome {
    this.kept.set(key, { fields, kind, player, amount, status: code ? "refused" : "accepted", code, round });
    return code ? { result: code } : { result: "ok", balance: this.cash(player) };
  }

  private roundOf(b: Play): string {
    return `${b.provider}|${b.player}|${b.round}`;
  }

  /** Recounted from what is kept: the round's accepted bets, those not rolled back, and whether a win settled it. */
  private roundFacts(round: string) {
    let bets = 0;
    let standing = 0;
    let won = false;
    for (const [key, k] of this.kept) {
      if (k.round !== round || k.status !== "accepted") continue;
      if (k.kind === "win") won = true;
      if (k.kind !== "bet") continue;
      bets += 1;
      if (!this.rolledBack.has(key)) standing += 1;
    }
    return { bets, standing, won };
  }

  private bet(b: Play & { amount: bigint }, byRound = false): ModelOutcome {
    const key = `${b.provider}:${b.transactionUuid}`;
    const fields = `bet|${b.player}|${b.round}|${b.amount}|`;
    const seen = this.seen(key, fields, RS.duplicate, b.player);
    if (seen) return seen;
    if (this.rolledBack.has(key)) return this.keep(key, fields, "bet", b.player, b.amount, RS.rolledBack);
    if (this.cash(b.player) < b.amount) return this.keep(key, fields, "bet", b.player, b.amount, RS.notEnoughMoney);
    this.move(`player:${b.player}:cash`, "brand:provider", b.amount);
    return this.keep(key, fields, "bet", b.player, b.amount, undefined, byRound ? this.roundOf(b) : undefined);
  }

  private win(b: Play & { referenceTransactionUuid?: string; amount: bigint }): ModelOutcome {
    const key = `${b.provider}:${b.transactionUuid}`;
    const ref = b.referenceTransactionUuid === undefined ? undefined : `${b.provider}:${b.referenceTransactionUuid}`;
    const fields = `win|${b.player}|${b.round}|${b.amount}|${ref ?? ""}`;
    const seen = this.seen(key, fields, RS.duplicate, b.player);
    if (seen) return seen;
    if (ref) {
      if (this.rolledBack.has(ref)) return { result: RS.rolledBack };
      const bet = this.kept.get(ref);
      if (!bet || bet.kind !== "bet" || bet.status !== "accepted" || bet.player !== b.player) return { result: RS.doesNotExist };
      this.settled.add(ref);
    } else {
      const facts = this.roundFacts(this.roundOf(b));
      if (facts.bets === 0) return { result: RS.doesNotExist };
      if (facts.standing === 0) return { result: RS.rolledBack };
    }
    this.move("brand:provider", `player:${b.player}:cash`, b.amount);
    return this.keep(key, fields, "win", b.player, b.amount, undefined, ref ? undefined : this.roundOf(b));
  }

  private rollback(b: Play & { referenceTransactionUuid: string }, byRound = false): ModelOutcome {
    const key = `${b.provider}:${b.transactionUuid}`;
    const ref = `${b.provider}:${b.referenceTransactionUuid}`;
    const fields = `rollback|${b.player}|${b.round}||${ref}`;
    const seen = this.seen(key, fields, RS.duplicate, b.player);
    if (seen) return seen;
    const bet = this.kept.get(ref);
    if (bet && (bet.kind !== "bet" || bet.player !== b.player)) return { result: RS.doesNotExist };
    if (this.settled.has(ref)) return { result: RS.alreadySettled };
    const refunds = bet?.status === "accepted" && !this.rolledBack.has(ref);
    if (byRound && refunds) {
      if (bet.round !== undefined && bet.round !== this.roundOf(b)) return { result: RS.doesNotExist };
      if (this.roundFacts(this.roundOf(b)).won) return { result: RS.alreadySettled };
    }
    if (refunds) this.move("brand:provider", `player:${b.player}:cash`, bet!.amount);
    this.rolledBack.add(ref);
    return this.keep(key, fields, "rollback", b.player, 0n);
  }

  /**
   * All or none; a call seen before replays; a changed action is a duplicate; a refused bet
   * is kept refused, and so is a win refused for a round that never had an accepted bet.
   */
  private batch(b: { provider: string; player: string; round: string; actions: ModelAction[] }): ModelOutcome {
    const known = new Set<ModelAction>();
    for (const a of b.actions) {
      const kept = this.kept.get(`${b.provider}:${a.actionId}`);
      if (!kept) continue;
      if (kept.fields !== this.actionFields(b, a)) return { result: RS.duplicate };
      if (kept.status === "refused") return { result: kept.code! };
      known.add(a);
    }
    const saved = { balances: new Map(this.balances), kept: new Map(this.kept), settled: new Set(this.settled), rolledBack: new Set(this.rolledBack) };
    for (const a of b.actions) {
      if (known.has(a)) continue;
      const play = { provider: b.provider, player: b.player, round: b.round, transactionUuid: a.actionId };
      const outcome =
        a.action === "rollback"
          ? this.rollback({ ...play, referenceTransactionUuid: a.originalActionId }, true)
          : a.action === "bet"
            ? this.bet({ ...play, amount: a.amount }, true)
            : this.win({ ...play, amount: a.amount });
      if (outcome.result === "ok") continue;
      [this.balances, this.kept, this.settled, this.rolledBack] = [saved.balances, saved.kept, saved.settled, saved.rolledBack];
      const kept = a.action === "bet" || (a.action === "win" && outcome.result === RS.doesNotExist);
      if (kept) this.keep(`${b.provider}:${a.actionId}`, this.actionFields(b, a), a.action, b.player, a.amount, outcome.result);
      return { result: outcome.result, balance: this.cash(b.player) };
    }
    return { result: "ok", balance: this.cash(b.player) };
  }

  private actionFields(b: { provider: string; player: string; round: string }, a: ModelAction): string {
    if (a.action === "rollback") return `rollback|${b.player}|${b.round}||${b.provider}:${a.originalActionId}`;
    return `${a.action}|${b.player}|${b.round}|${a.amount}|`;
  }

  private adjust(b: { adjustmentId: string; owner: { kind: string; id: string }; amount: bigint; reason: string; by: { staffId: string | null; username: string } }): ModelOutcome {
    const key = `adjust:${b.adjustmentId}`;
    const account = `${b.owner.kind}:${b.owner.id}:cash`;
    const fields = `${account}|${b.amount}|${b.reason}|${b.by.staffId}`;
    const seen = this.seen(key, fields, "duplicate_request", b.owner.id);
    if (seen) return { result: seen.result };
    if (this.balance(account) + b.amount < 0n) return { result: this.keep(key, fields, "adjust", b.owner.id, 0n, "insufficient_funds").result };
    this.move("brand:house", account, b.amount);
    return { result: this.keep(key, fields, "adjust", b.owner.id, b.amount).result };
  }

  private transfer(b: { transferId: string; agent: string; player: string; direction: string; amount: bigint }): ModelOutcome {
    const key = `transfer:${b.transferId}`;
    const fields = `${b.agent}|${b.player}|${b.direction}|${b.amount}`;
    const seen = this.seen(key, fields, "duplicate_request", b.player);
    if (seen) return { result: seen.result };
    const agent = `agent:${b.agent}:cash`;
    const player = `player:${b.player}:cash`;
    const [from, to] = b.direction === "agent_to_player" ? [agent, player] : [player, agent];
    if (this.balance(from) < b.amount) return { result: this.keep(key, fields, "transfer", b.player, 0n, "insufficient_funds").result };
    this.move(from, to, b.amount);
    return { result: this.keep(key, fields, "transfer", b.player, b.amount).result };
  }

  private request(kind: "deposit" | "withdrawal", b: { requestId: string; player: string; amount: bigint }): ModelOutcome {
    const key = `${kind}:${b.requestId}`;
    const fields = `${b.player}|${b.amount}`;
    const seen = this.seen(key, fields, "duplicate_request", b.player);
    if (seen) return { result: seen.result };
    if (this.requests.has(b.requestId)) return { result: "duplicate_request" };
    if (kind === "withdrawal") {
      if (this.cash(b.player) < b.amount) return { result: this.keep(key, fields, kind, b.player, 0n, "insufficient_funds").result };
      this.move(`player:${b.player}:cash`, `player:${b.player}:locked`, b.amount);
    }
    this.requests.set(b.requestId, { kind, player: b.player, amount: b.amount, status: "pending" });
    return { result: this.keep(key, fields, kind, b.player, b.amount).result };
  }

  private decide(type: string, requestId: string): ModelOutcome {
    const kind = type.startsWith("deposit") ? "deposit" : "withdrawal";
    const verdict = type.endsWith("Approve") ? "approved" : "rejected";
    const r = this.requests.get(requestId);
    if (!r || r.kind !== kind) return { result: "not_found" };
    if (r.status === verdict) return { result: "ok" };
    if (r.status !== "pending") return { result: "invalid_state" };
    r.status = verdict;
    const cash = `player:${r.player}:cash`;
    const locked = `player:${r.player}:locked`;
    if (kind === "deposit") this.move("brand:clearing", cash, r.amount);
    else if (verdict === "approved") this.move(locked, "brand:clearing", r.amount);
    else this.move(locked, cash, r.amount);
    return { result: "ok" };
  }
}

import { auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { ROLLING_EVENTS, type RollingEventType } from "./events.ts";
import type { Body } from "./messages.ts";
import { payloadOf, type RecordRow, type RollingBook, type Share, viewOf } from "./records.ts";
import { contributionOf, ppmOf, type RollingTerms, targetOf } from "./terms.ts";

/** What one message is decided with: the shard's tables, the brand's terms, the outbox, the clock. */
export type RollingTurn = {
  book: RollingBook;
  terms: RollingTerms;
  brand: string;
  now: number;
  /** write an event about `record` (as it stands) to the outbox in this transaction */
  publish(type: RollingEventType, record: RecordRow, extra?: Record<string, unknown>): void;
  emitAudit(type: string, payload: unknown): void;
  /** records whose progress this batch changed: reported at its end when their last report is a minute old */
  touched: Set<string>;
};

/** `rolling.progressed` of a record at most this often; the minute's sweep reports what waited. */
export const PROGRESS_REPORT_MS = 60_000;

const applied = (value: boolean): Outcome => ok({ applied: value });

/**
 * A deposit approval or a bonus grant opens a record for its transaction: target = amount ×
 * multiple (the event's, as the wallet decided it; else the brand's), deadline from the
 * brand's `expiryDays`. Every credit is answered with `rolling.created` (the wallet's gate
 * waits for it); a zero target completes at once.
 */
export function credit(turn: RollingTurn, kind: "deposit" | "bonus", body: Body<"wallet.deposit_approved">): Outcome {
  if (turn.book.bySource(body.transactionId)) return applied(false);
  const fallback = kind === "deposit" ? turn.terms.depositMultiplePpm : turn.terms.bonusMultiplePpm;
  const multiplePpm = body.rollingMultiple == null ? fallback : ppmOf(body.rollingMultiple);
  const record = turn.book.create({
    id: Bun.randomUUIDv7(),
    player: body.player,
    sourceKind: kind,
    source: body.transactionId,
    amount: body.amount,
    multiplePpm,
    target: targetOf(body.amount, multiplePpm),
    createdAt: turn.now,
    deadlineAt: turn.terms.expiryMs === null ? null : turn.now + turn.terms.expiryMs,
  });
  if (record.target > 0n) turn.publish(ROLLING_EVENTS.created, record);
  else {
    // nothing to wager: it is announced already completed, so no consumer ever sees it open
    const completed = turn.book.close(record.id, "completed", turn.now)!;
    turn.publish(ROLLING_EVENTS.created, completed);
    turn.publish(ROLLING_EVENTS.completed, completed);
  }
  return applied(true);
}

/**
 * A settled bet counts stake × its category's rate toward the player's open records created
 * before it, oldest first, each up to its target, the rest carried to the next; what no
 * record takes counts for nothing. A bet whose rollback came first counts for nothing.
 */
export function countBet(turn: RollingTurn, body: Body<"wallet.bet_settled">): Outcome {
  const known = turn.book.bet(body.idempotencyKey);
  if (known) return applied(false);
  const category = body.gameCategory ?? null;
  let left = contributionOf(body.amount, turn.terms.ratePpm(category));
  if (left === 0n) return applied(false);
  const contribution = left;
  const shares: Share[] = [];
  for (const record of turn.book.openBefore(body.player, body.transactionId)) {
    const take = min(left, record.target - record.progress);
    if (take <= 0n) continue;
    shares.push([record.id, take]);
    left -= take;
    if (left === 0n) break;
  }
  if (shares.length === 0) return applied(false);
  turn.book.keepBet({
    key: body.idempotencyKey,
    player: body.player,
    transactionId: body.transactionId,
    stake: body.amount,
    contribution,
    category,
    shares,
    rolledBack: false,
    at: turn.now,
  });
  for (const [id, take] of shares) {
    const after = turn.book.addProgress(id, take);
    turn.touched.add(id);
    if (after.progress >= after.target) turn.publish(ROLLING_EVENTS.completed, turn.book.close(id, "completed", turn.now)!);
  }
  return applied(true);
}

/**
 * A rolled-back bet takes back exactly what it counted, from every record it counted toward
 * (a completed one stays completed). A rollback whose bet has not come yet is kept as a
 * tombstone, so that bet counts for nothing when it comes.
 */
export function reverseBet(turn: RollingTurn, body: Body<"wallet.rollback">): Outcome {
  const bet = turn.book.bet(body.reference);
  if (!bet) {
    turn.book.keepBet({ key: body.reference, player: body.player, transactionId: null, stake: 0n, contribution: 0n, category: null, shares: [], rolledBack: true, at: turn.now });
    return applied(true);
  }
  if (bet.rolled_back !== 0n) return applied(false);
  turn.book.markRolledBack(body.reference);
  for (const [id, amount] of JSON.parse(bet.shares) as [string, string][]) {
    turn.book.addProgress(id, -BigInt(amount));
    turn.touched.add(id);
  }
  return applied(true);
}

/** At most this many records expire (and as many are reported) per sweep; the next one takes the rest. */
const EXPIRIES_PER_TURN = 1000;

/**
 * The minute's sweep: records past their deadline at `firedAt` (the timer's clock) expire (a
 * bonus record's bonus is then forfeited by the wallet), and progress no event carries yet is
 * reported.
 */
export function sweep(turn: RollingTurn, firedAt: number): Outcome {
  const due = turn.book.due(firedAt, EXPIRIES_PER_TURN);
  for (const id of due) {
    const expired = turn.book.close(id, "expired", firedAt);
    if (expired) turn.publish(ROLLING_EVENTS.expired, expired);
  }
  const unreported = turn.book.unreported(EXPIRIES_PER_TURN);
  for (const id of unreported) turn.publish(ROLLING_EVENTS.progressed, turn.book.byId(id)!);
  return ok({ expired: due.length, reported: unreported.length });
}

/** Staff end an open record with a reason, audited in this commit with what they saw. */
export function cancel(turn: RollingTurn, body: Body<"cancel">): Outcome {
  const record = turn.book.byId(body.rollingId);
  if (!record) return fail("not_found", `no rolling ${body.rollingId}`);
  if (record.status !== "open") return fail("invalid_state", `rolling ${body.rollingId} is already ${record.status}`);
  const by = body.by.staffId ?? body.by.username;
  const cancelled = turn.book.close(record.id, "cancelled", turn.now, by, body.reason)!;
  turn.publish(ROLLING_EVENTS.cancelled, cancelled, { reason: body.reason, by });
  const before = { status: record.status, target: record.target.toString(), progress: record.progress.toString() };
  const after = { status: cancelled.status, target: cancelled.target.toString(), progress: cancelled.progress.toString(), reason: body.reason };
  const audit = auditEvent(body.by, { action: "rolling.cancel", brand: turn.brand, target: `rolling:${record.id}`, before, after });
  turn.emitAudit(audit.type, audit.payload);
  return ok(viewOf(cancelled));
}

/** The player who received a bonus gives it up: its open record ends as cancelled by them (what they deposited and won stays theirs). */
export function playerCancel(turn: RollingTurn, body: Body<"playerCancel">): Outcome {
  const record = turn.book.byId(body.rollingId);
  if (!record || record.player_id !== body.player || record.source_kind !== "bonus") return fail("not_found", `no bonus rolling ${body.rollingId} of this player`);
  if (record.status !== "open") return fail("invalid_state", `rolling ${body.rollingId} is already ${record.status}`);
  const by = `player:${body.player}`;
  const reason = "cancelled by the player";
  const cancelled = turn.book.close(record.id, "cancelled", turn.now, by, reason)!;
  turn.publish(ROLLING_EVENTS.cancelled, cancelled, { reason, by });
  return ok(viewOf(cancelled));
}

/**
 * At the end of a batch: `rolling.progressed` for each record it changed that no event carries
 * yet, unless one was written about the record within the last minute (the sweep reports it).
 */
export function reportProgress(turn: RollingTurn) {
  for (const id of turn.touched) {
    const record = turn.book.byId(id)!;
    if (record.version > record.reported_version && turn.now - Number(record.reported_at) >= PROGRESS_REPORT_MS) turn.publish(ROLLING_EVENTS.progressed, record);
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export { payloadOf };

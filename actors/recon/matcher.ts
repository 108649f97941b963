import type { z } from "zod";
import { type Outcome, ok } from "../runtime/errors.ts";
import { relateNames } from "./depositor-names.ts";
import { type DepositMatched, RECON_EVENTS } from "./events.ts";
import { candidatesFor, type MessageRow, matchRow, messageRow, type RequestRow } from "./message-rows.ts";
import type { walletDepositEvent } from "./messages.ts";
import type { ReconTurn } from "./turn.ts";

export type DepositEvent = z.infer<typeof walletDepositEvent>;

/**
 * The matcher. A deposit notice approves by itself only on exactly one free pending request
 * of the same amount whose depositor name is the same once normalized, within the window;
 * none or several, or a masked, truncated or aliased name, leave it for staff, and so does a
 * notice whose sender the source does not vouch for (intake.ts). It runs when a
 * notice arrives and when a request arrives (transfers often come before the request), and
 * running it again changes nothing: a match takes the notice out of review and the request
 * out of the free ones.
 */
export function matchNotice(turn: ReconTurn, m: MessageRow): boolean {
  // a notice whose sender is not one of the bank's waits for staff, whenever its request comes
  if (m.kind !== "deposit" || m.state !== "review" || m.vouched !== 1) return false;
  const same = candidatesFor(turn.sqlite, m, turn.rules).filter((c) => c.relation === "same");
  if (same.length !== 1) return false;
  recordMatch(turn, m, same[0]!, "auto", "recon");
  return true;
}

/** A request arrived: the one review notice it is the only same-name candidate of, if exactly one. */
function matchRequest(turn: ReconTurn, request: RequestRow): void {
  const notices = turn.sqlite
    .query<MessageRow, [number, number, number]>("select * from recon_messages where state = 'review' and kind = 'deposit' and amount = ? and bank_at between ? and ? order by seq")
    .all(request.amount, request.requested_at - turn.rules.matchWindowMs, request.requested_at + turn.rules.matchWindowMs)
    .filter((m) => relateNames(m.depositor, request.depositor) === "same");
  if (notices.length !== 1) return;
  matchNotice(turn, notices[0]!);
}

/** Link a notice to a request and ask for the approval, in the same commit. */
export function recordMatch(turn: ReconTurn, m: MessageRow, request: RequestRow, how: "auto" | "manual", by: string): void {
  const db = turn.sqlite;
  db.query("delete from recon_matches where message_id = ? and state = 'refused'").run(m.id);
  db.query("insert into recon_matches (message_id, request_id, player, amount, how, state, matched_by, matched_at) values (?, ?, ?, ?, ?, 'approving', ?, ?)").run(
    m.id,
    request.request_id,
    request.player,
    request.amount,
    how,
    by,
    turn.now,
  );
  db.query("update recon_messages set state = 'matched' where id = ?").run(m.id);
  const matched: DepositMatched = { messageId: m.id, requestId: request.request_id, player: request.player, amount: String(request.amount), how, by };
  turn.emit({ type: RECON_EVENTS.depositMatched, payload: { brand: turn.brand, ...matched } });
  turn.emit({ type: RECON_EVENTS.reviewClosed, payload: { brand: turn.brand, messageId: m.id } });
}

/** The wallet would not approve: the notice goes back to staff with the reason. */
export function approvalRefused(turn: ReconTurn, body: { messageId: string; requestId: string; code: string; message: string }): Outcome {
  const match = matchRow(turn.sqlite, body.messageId);
  const m = messageRow(turn.sqlite, body.messageId);
  if (!match || !m || match.request_id !== body.requestId || match.state !== "approving") return ok({ state: m?.state ?? "review" });
  turn.sqlite
    .query("update recon_matches set state = 'refused', refusal = ?, settled_at = ? where message_id = ?")
    .run(`${body.code}: ${body.message}`.slice(0, 500), turn.now, m.id);
  turn.sqlite.query("update recon_messages set state = 'review' where id = ?").run(m.id);
  turn.emit({ type: RECON_EVENTS.reviewOpened, payload: { brand: turn.brand, messageId: m.id } });
  return ok({ state: "review" });
}

/** `wallet.deposit_requested`: a pending request to match (and the notices waiting for it). */
export function depositRequested(turn: ReconTurn, e: DepositEvent): Outcome {
  if (!e.player || !e.amount) return ok({ ignored: true });
  const request: RequestRow = {
    request_id: e.requestId,
    player: e.player,
    amount: Number(e.amount),
    depositor: e.depositorName ?? null,
    requested_at: e.at ?? turn.now,
    status: "pending",
  };
  const inserted = turn.sqlite
    .query("insert into recon_requests (request_id, player, amount, depositor, requested_at, status) values (?, ?, ?, ?, ?, 'pending') on conflict do nothing")
    .run(request.request_id, request.player, request.amount, request.depositor, request.requested_at);
  if (inserted.changes === 0) return ok({ replayed: true });
  matchRequest(turn, request);
  return ok({});
}

/** `wallet.deposit_approved` / `_rejected`: the request is closed; a match waiting on it is settled. */
export function depositDecided(turn: ReconTurn, e: DepositEvent, status: "approved" | "rejected"): Outcome {
  turn.sqlite.query("update recon_requests set status = ? where request_id = ?").run(status, e.requestId);
  if (status === "approved") {
    turn.sqlite.query("update recon_matches set state = 'approved', settled_at = ? where request_id = ? and state = 'approving'").run(turn.now, e.requestId);
  }
  return ok({});
}

import { auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { normalizeName } from "./depositor-names.ts";
import { RECON_EVENTS } from "./events.ts";
import { recordMatch } from "./matcher.ts";
import { freeRequest, type MessageRow, matchRow, messageRow, messageView } from "./message-rows.ts";
import type { Body } from "./messages.ts";
import type { ReconTurn } from "./turn.ts";

/**
 * What staff do with the review queue, each audited in the same commit: match a notice to a
 * request (the wallet approves it, as for an automatic match), undo a match the wallet has not
 * approved, or dismiss a notice that is no player's deposit. An approved match is never undone
 * here: the wallet has no reversal of an approved deposit, so staff correct the balance with an
 * adjustment, which the wallet audits.
 */
export function matchManually(turn: ReconTurn, body: Body<"matchManually">): Outcome {
  const m = messageRow(turn.sqlite, body.messageId);
  if (!m) return fail("recon_message_not_found", `no recon message ${body.messageId}`);
  if (m.kind !== "deposit" || m.state !== "review")
    return fail("invalid_state", `message ${m.id} is a ${m.kind} notice in state ${m.state}: only deposits under review are matched`);
  const request = freeRequest(turn.sqlite, body.requestId);
  if (!request) return fail("recon_request_not_pending", `deposit request ${body.requestId} is not pending, or another notice confirms it`);
  if (request.amount !== m.amount) return fail("recon_amount_mismatch", `the notice says ${m.amount}, the request ${request.amount}`);
  recordMatch(turn, m, request, "manual", body.by.username);
  if (body.rememberAlias && m.depositor !== null) {
    turn.sqlite
      .query("insert into recon_aliases (printed, player, confirmed_by, at) values (?, ?, ?, ?) on conflict do nothing")
      .run(normalizeName(m.depositor), request.player, body.by.username, turn.now);
  }
  const after = view(turn, m.id);
  audit(
    turn,
    body.by,
    "recon.match",
    m,
    { state: m.state },
    { state: after.state, requestId: request.request_id, player: request.player, amount: String(request.amount), rememberAlias: body.rememberAlias },
  );
  return ok(after);
}

export function unmatch(turn: ReconTurn, body: Body<"unmatch">): Outcome {
  const m = messageRow(turn.sqlite, body.messageId);
  if (!m) return fail("recon_message_not_found", `no recon message ${body.messageId}`);
  const match = matchRow(turn.sqlite, m.id);
  if (!match) return fail("invalid_state", `message ${m.id} is not matched`);
  if (match.state === "approved") {
    return fail("invalid_state", `deposit request ${match.request_id} was credited; the wallet has no reversal of an approved deposit: correct the balance with an adjustment`);
  }
  if (match.state === "approving") return fail("invalid_state", `the wallet is approving deposit request ${match.request_id}; try again once it answers`);
  turn.sqlite.query("delete from recon_matches where message_id = ?").run(m.id);
  turn.sqlite.query("update recon_messages set note = ? where id = ?").run(body.reason, m.id);
  const after = view(turn, m.id);
  audit(turn, body.by, "recon.unmatch", m, { requestId: match.request_id, matchState: match.state }, { state: after.state, reason: body.reason });
  return ok(after);
}

export function dismiss(turn: ReconTurn, body: Body<"dismiss">): Outcome {
  const m = messageRow(turn.sqlite, body.messageId);
  if (!m) return fail("recon_message_not_found", `no recon message ${body.messageId}`);
  if (m.state !== "review") return fail("invalid_state", `message ${m.id} is ${m.state}, not under review`);
  turn.sqlite.query("update recon_messages set state = 'dismissed', note = ? where id = ?").run(body.reason, m.id);
  turn.emit({ type: RECON_EVENTS.reviewClosed, payload: { brand: turn.brand, messageId: m.id } });
  const after = view(turn, m.id);
  audit(turn, body.by, "recon.dismiss", m, { state: m.state }, { state: after.state, reason: body.reason });
  return ok(after);
}

function view(turn: ReconTurn, id: string) {
  return messageView(turn.sqlite, messageRow(turn.sqlite, id)!, turn.rules);
}

function audit(turn: ReconTurn, by: Body<"dismiss">["by"], action: string, m: MessageRow, before: unknown, after: unknown) {
  turn.emit(auditEvent(by, { action, brand: turn.brand, target: `recon_message:${m.id}`, before, after }));
}

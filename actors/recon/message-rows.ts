import type { Database } from "bun:sqlite";
import { type NameRelation, normalizeName, relateNames } from "./depositor-names.ts";
import type { MessageView } from "./messages.ts";
import type { ReconRules } from "./turn.ts";

/** A `recon_messages` row as bun:sqlite returns it. */
export type MessageRow = {
  seq: number;
  id: string;
  source_id: string;
  external_id: string;
  text: string;
  sender: string | null;
  received_at: number;
  kind: MessageView["parsed"]["kind"];
  bank: string | null;
  amount: number | null;
  depositor: string | null;
  bank_time: string | null;
  bank_at: number;
  balance: number | null;
  balance_gap: number;
  state: MessageView["state"];
  duplicate_of: string | null;
  note: string | null;
  /** 1: the sender is one of the bank's (matchable without staff) */
  vouched: number;
};

export type MatchRow = {
  message_id: string;
  request_id: string;
  player: string;
  amount: number;
  how: "auto" | "manual";
  state: "approving" | "approved" | "refused";
  matched_by: string;
  matched_at: number;
  refusal: string | null;
};

export type RequestRow = { request_id: string; player: string; amount: number; depositor: string | null; requested_at: number; status: string };

export type Candidate = RequestRow & { relation: NameRelation };

const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function messageRow(db: Database, id: string): MessageRow | null {
  return db.query<MessageRow, [string]>("select * from recon_messages where id = ?").get(id);
}

export function matchRow(db: Database, messageId: string): MatchRow | null {
  return db.query<MatchRow, [string]>("select * from recon_matches where message_id = ?").get(messageId);
}

/** A request with no standing match (an approving or approved one takes it). */
export function freeRequest(db: Database, requestId: string): RequestRow | null {
  return db
    .query<RequestRow, [string]>(
      "select * from recon_requests where request_id = ? and status = 'pending' and request_id not in (select request_id from recon_matches where state <> 'refused')",
    )
    .get(requestId);
}

/** Players staff confirmed this printed name pays for. */
export function aliasedPlayers(db: Database, printed: string | null): Set<string> {
  if (printed === null) return new Set();
  const rows = db.query<{ player: string }, [string]>("select player from recon_aliases where printed = ?").all(normalizeName(printed));
  return new Set(rows.map((r) => r.player));
}

const RANK: Record<NameRelation, number> = { same: 0, alias: 1, masked: 2, truncated: 3, different: 4 };

/** Free pending requests of the notice's amount within the window, best first. */
export function candidatesFor(db: Database, m: Pick<MessageRow, "amount" | "bank_at" | "depositor">, rules: ReconRules): Candidate[] {
  if (m.amount === null) return [];
  const rows = db
    .query<RequestRow, [number, number, number]>(
      `select * from recon_requests where status = 'pending' and amount = ? and requested_at between ? and ?
       and request_id not in (select request_id from recon_matches where state <> 'refused')`,
    )
    .all(m.amount, m.bank_at - rules.matchWindowMs, m.bank_at + rules.matchWindowMs);
  const aliased = aliasedPlayers(db, m.depositor);
  return rows
    .map((r) => ({ ...r, relation: relateNames(m.depositor, r.depositor, aliased.has(r.player)) }))
    .sort((a, b) => RANK[a.relation] - RANK[b.relation] || Math.abs(a.requested_at - m.bank_at) - Math.abs(b.requested_at - m.bank_at));
}

export function messageView(db: Database, m: MessageRow, rules: ReconRules, withCandidates = m.state === "review"): MessageView {
  const match = matchRow(db, m.id);
  const view: MessageView = {
    id: m.id,
    cursor: String(m.seq),
    sourceId: m.source_id,
    externalId: m.external_id,
    text: m.text,
    sender: m.sender,
    receivedAt: iso(m.received_at),
    state: m.state,
    duplicateOf: m.duplicate_of,
    note: m.note,
    parsed: {
      kind: m.kind,
      bank: m.bank,
      amount: m.amount === null ? null : String(m.amount),
      depositor: m.depositor,
      bankTime: m.bank_time,
      bankAt: iso(m.bank_at),
      balance: m.balance === null ? null : String(m.balance),
      balanceGap: m.balance_gap === 1,
    },
    match: match && {
      requestId: match.request_id,
      player: match.player,
      how: match.how,
      state: match.state,
      matchedBy: match.matched_by,
      matchedAt: iso(match.matched_at),
      refusal: match.refusal,
    },
  };
  if (withCandidates && m.kind === "deposit") {
    view.candidates = candidatesFor(db, m, rules).map((c) => ({
      requestId: c.request_id,
      player: c.player,
      amount: String(c.amount),
      depositor: c.depositor,
      requestedAt: iso(c.requested_at),
      nameRelation: c.relation,
    }));
  }
  return view;
}

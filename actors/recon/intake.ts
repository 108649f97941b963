import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { bankTimeToUtc } from "./bank-time.ts";
import { RECON_EVENTS } from "./events.ts";
import { matchNotice } from "./matcher.ts";
import { type MessageRow, messageRow } from "./message-rows.ts";
import { type Body, type IntakeItem, type SourceSettings, senderKey, storedSettings } from "./messages.ts";
import { cleanNotice, type ParsedNotice, parseNotice } from "./parser.ts";
import type { ReconTurn } from "./turn.ts";

type SourceRow = { id: string; kind: string; status: string; settings: string };
type Stored = { externalId: string; messageId: string; state: MessageRow["state"]; replayed: boolean };

/**
 * A loop's or a webhook's messages: each stored first, raw, then read. A message the source
 * sent before (same source id) answers what it became; the same bank text again within the
 * duplicate window (another phone, another source) is stored as a duplicate of the first and
 * goes no further. The loop's resume point is stored in the same commit.
 */
export function ingest(turn: ReconTurn, body: Body<"ingest">): Outcome {
  const source = turn.sqlite.query<SourceRow, [string]>("select id, kind, status, settings from recon_sources where id = ?").get(body.sourceId);
  if (!source) return fail("recon_source_not_found", `no recon source ${body.sourceId}`);
  if (source.status !== "active") return fail("recon_source_paused", `recon source ${body.sourceId} is paused`);
  const settings = storedSettings(source.settings);
  const stored = body.items.map((item) => storeOne(turn, source.id, settings, item));
  const update = body.cursor === undefined ? "" : ", cursor = $cursor";
  const latest = body.items.length > 0 ? turn.now : null;
  turn.sqlite
    .query(`update recon_sources set last_message_at = coalesce($latest, last_message_at)${update} where id = $id`)
    .run({ latest, id: source.id, ...(body.cursor === undefined ? {} : { cursor: body.cursor }) });
  return ok({ stored });
}

function storeOne(turn: ReconTurn, sourceId: string, settings: SourceSettings, item: IntakeItem): Stored {
  const db = turn.sqlite;
  const known = db
    .query<{ id: string; state: MessageRow["state"] }, [string, string]>("select id, state from recon_messages where source_id = ? and external_id = ?")
    .get(sourceId, item.externalId);
  if (known) return { externalId: item.externalId, messageId: known.id, state: known.state, replayed: true };
  const id = crypto.randomUUID();
  const hash = new Bun.CryptoHasher("sha256").update(cleanNotice(item.text)).digest("hex");
  const vouched = senderVouched(settings, item.sender);
  // a bank sender's notice is a copy only of another bank sender's: an unvouched copy sent first does not keep it from matching
  const first = db
    .query<{ id: string }, [string, number, number]>(
      "select id from recon_messages where content_hash = ? and received_at >= ? and state <> 'duplicate' and vouched >= ? order by seq limit 1",
    )
    .get(hash, item.receivedAt - turn.rules.duplicateWindowMs, vouched ? 1 : 0);
  const parsed = parseNotice(item.text);
  const state: MessageRow["state"] = first ? "duplicate" : initialState(parsed);
  const bankAt = bankTimeToUtc(parsed.bankTime, item.receivedAt);
  const gap = state === "duplicate" || !vouched ? false : balanceGap(turn, sourceId, parsed);
  db.query(
    `insert into recon_messages (id, source_id, external_id, content_hash, text, sender, received_at, kind, bank, amount, depositor, bank_time, bank_at, balance, balance_gap, state, duplicate_of, note, vouched)
     values ($id, $source, $external, $hash, $text, $sender, $received, $kind, $bank, $amount, $depositor, $bankTime, $bankAt, $balance, $gap, $state, $duplicateOf, $note, $vouched)`,
  ).run({
    id,
    source: sourceId,
    external: item.externalId,
    hash,
    text: item.text,
    sender: item.sender,
    received: item.receivedAt,
    kind: parsed.kind,
    bank: parsed.bank,
    amount: parsed.amount,
    depositor: parsed.name,
    bankTime: parsed.bankTime,
    bankAt,
    balance: parsed.balance,
    gap: gap ? 1 : 0,
    state,
    duplicateOf: first?.id ?? null,
    note: state !== "duplicate" && !vouched ? unvouchedNote(settings, item.sender) : null,
    vouched: vouched ? 1 : 0,
  });
  if (state === "review") {
    // only a bank sender's notice is matched (and so approved) without staff: matchNotice checks
    const row = messageRow(db, id)!;
    if (!matchNotice(turn, row)) turn.emit({ type: RECON_EVENTS.reviewOpened, payload: { brand: turn.brand, messageId: id } });
  }
  return { externalId: item.externalId, messageId: id, state: messageRow(db, id)!.state, replayed: false };
}

/** Deposits and what nobody could read wait for a match or for staff; the rest is kept for the record. */
function initialState(parsed: ParsedNotice): MessageRow["state"] {
  return parsed.kind === "deposit" || parsed.kind === "unparsed" ? "review" : "ignored";
}

/**
 * Whether the notice's sender is one of the bank's, as the source lists them: the one thing
 * that lets a notice approve a deposit without staff. A source listing none vouches for no
 * sender (anyone can text the bank phone, or post to a bot's chat).
 */
function senderVouched(settings: SourceSettings, sender: string | null): boolean {
  if (sender === null || senderKey(sender) === "") return false;
  return settings.senders.some((s) => senderKey(s) === senderKey(sender));
}

function unvouchedNote(settings: SourceSettings, sender: string | null): string {
  if (settings.senders.length === 0) return "the source lists no bank senders: nothing it receives is matched without staff";
  if (sender === null) return "the sender is unknown: only the source's bank senders are matched without staff";
  return "the sender is not on the source's list of bank senders: only those are matched without staff";
}

/** The bank's previous balance on this source (a bank sender's notice) plus (or minus) this amount should be this balance; if not, a notice went missing. */
function balanceGap(turn: ReconTurn, sourceId: string, parsed: ParsedNotice): boolean {
  if (parsed.balance === null || parsed.amount === null || parsed.bank === null || parsed.kind === "other" || parsed.kind === "unparsed") return false;
  const previous = turn.sqlite
    .query<{ balance: number }, [string, string]>(
      "select balance from recon_messages where source_id = ? and bank = ? and balance is not null and state <> 'duplicate' and vouched = 1 and kind in ('deposit', 'withdrawal') order by seq desc limit 1",
    )
    .get(sourceId, parsed.bank);
  if (!previous) return false;
  const expected = previous.balance + (parsed.kind === "deposit" ? parsed.amount : -parsed.amount);
  return expected !== parsed.balance;
}

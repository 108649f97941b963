import { type ActingStaff, auditEvent } from "../identity/index.ts";
import type { Incoming } from "../runtime/actor.ts";
import type { Outcome } from "../runtime/errors.ts";
import { decide } from "./decide.ts";
import { QUERY_TYPES } from "./messages.ts";
import type { Turn } from "./turn.ts";

/** Provider callbacks: `by` is set only when staff replayed one (`POST /integration/replay`). */
const CALLBACK_TYPES = new Set(["bet", "win", "rollback", "batch"]);

/**
 * A message decided, and audited in the same commit when staff, not its sender, made it
 * happen: a provider callback staff replayed (`wallet.callback_replay`, by the body's `by`)
 * or a dead letter an operator put back (`wallet.dead_letter_replay`, by the envelope's
 * `replayedBy`). Only what changed something is audited: never a replay of an earlier
 * outcome, a refusal or a read.
 */
export function decideMessage(turn: Turn, m: Incoming): Outcome {
  const outcome = decide(turn, m.type, m.body);
  const replay = staffReplayOf(m);
  if (replay && changed(m.type, outcome)) {
    const { type, payload } = auditEvent(replay.by, {
      action: replay.action,
      brand: turn.brand,
      target: targetOf(m),
      after: { message: m.id, type: m.type, body: withoutBy(m.body), outcome: outcome.ok ? outcome.value : null },
    });
    turn.emit(type, payload);
  }
  return outcome;
}

function staffReplayOf(m: Incoming): { by: ActingStaff; action: string } | null {
  const by = CALLBACK_TYPES.has(m.type) ? (m.body as { by?: ActingStaff }).by : undefined;
  if (by) return { by, action: "wallet.callback_replay" };
  if (m.envelope.replayedBy) return { by: m.envelope.replayedBy, action: "wallet.dead_letter_replay" };
  return null;
}

function changed(type: string, outcome: Outcome): boolean {
  if (!outcome.ok || QUERY_TYPES.has(type)) return false;
  return (outcome.value as { replayed?: unknown } | null)?.replayed !== true;
}

function targetOf(m: Incoming): string {
  const body = m.body as { player?: unknown; owner?: { kind?: unknown; id?: unknown } };
  if (typeof body.player === "string") return `player:${body.player}`;
  if (body.owner && typeof body.owner.kind === "string" && typeof body.owner.id === "string") return `${body.owner.kind}:${body.owner.id}`;
  return `message:${m.id}`;
}

/** The message's body as the audit records it: JSON (amounts as digit strings), its `by` named by the row itself. */
function withoutBy(body: unknown): unknown {
  const json = JSON.parse(JSON.stringify(body ?? null, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  const { by: _by, ...rest } = json as Record<string, unknown>;
  return rest;
}

import type { SqlExecutor } from "../runtime/central-store.ts";
import type { Outcome } from "../runtime/errors.ts";
import { type BatchQuestion, readForBatch } from "./batch-reads.ts";
import { holderOf, type LedgerCache, type OwnerKind, ownerKey } from "./ledger.ts";
import type { Needs } from "./needs.ts";

/**
 * Bring what a batch needs into the caches: what is missing is read in one statement (a
 * second only for what the requests seen for the first time name: their holders' accounts
 * and players' payouts). As the only writer, what the cache holds is current; absence is cached too.
 * Returns the outcomes recorded for redelivered messages that an earlier writer already committed.
 */
export async function prefetch(db: SqlExecutor, cache: LedgerCache, needs: Needs): Promise<Map<string, Outcome>> {
  const question: BatchQuestion = {
    owners: [...needs.owners].filter(([key]) => !cache.owners.has(key)).map(([, owner]) => owner),
    keys: [...needs.keys].filter((key) => !cache.keys.has(key)),
    requests: [...needs.requests].filter((id) => !cache.requests.has(id)),
    messages: [...needs.redelivered],
    payouts: [...needs.payouts].filter((player) => !cache.payouts.has(player)),
  };
  const recorded = await ask(db, cache, question);

  const holders = new Map<string, { kind: "player" | "agent"; id: string }>();
  for (const id of needs.requests) {
    const request = cache.requests.get(id);
    if (!request) continue;
    const holder = holderOf(request);
    const key = ownerKey(holder.kind, holder.id);
    if (!cache.owners.has(key)) holders.set(key, holder);
  }
  const payouts = new Set<string>();
  for (const id of needs.payoutsOfRequests) {
    const request = cache.requests.get(id);
    if (request && !cache.payouts.has(request.player)) payouts.add(request.player);
  }
  await ask(db, cache, { owners: [...holders.values()], keys: [], requests: [], messages: [], payouts: [...payouts] });
  return recorded;
}

async function ask(db: SqlExecutor, cache: LedgerCache, question: BatchQuestion): Promise<Map<string, Outcome>> {
  const asked = question.owners.length + question.keys.length + question.requests.length + question.messages.length + question.payouts.length;
  if (asked === 0) return new Map();
  const answer = await readForBatch(db, cache.brand, question);
  for (const owner of question.owners) cache.owners.set(ownerKey(owner.kind as OwnerKind, owner.id), new Map());
  for (const account of answer.accounts) cache.owners.get(ownerKey(account.ownerKind, account.ownerId))!.set(account.type, account);
  for (const [key, state] of answer.keys) cache.keys.set(key, state);
  for (const id of question.requests) cache.requests.set(id, null);
  for (const request of answer.requests) cache.requests.set(request.id, request);
  for (const [player, state] of answer.payouts) cache.payouts.set(player, state);
  return answer.outcomes;
}

import type { SqlExecutor } from "../runtime/central-store.ts";
import { readForBatch, type BatchQuestion } from "./batch-reads.ts";
import { ownerKey, type LedgerCache, type OwnerKind } from "./ledger.ts";
import type { Needs } from "./needs.ts";

/**
 * Bring what a batch needs into the caches: what is missing is read in one statement (a
 * second only for the players of requests seen for the first time). As the only writer,
 * what the cache holds is current; absence is cached too.
 */
export async function prefetch(db: SqlExecutor, cache: LedgerCache, needs: Needs): Promise<void> {
  const question: BatchQuestion = {
    owners: [...needs.owners].filter(([key]) => !cache.touchOwner(key)).map(([, owner]) => owner),
    keys: [...needs.keys].filter((key) => !cache.keys.has(key)),
    requests: [...needs.requests].filter((id) => !cache.requests.has(id)),
  };
  await ask(db, cache, question);

  const players = new Set<string>();
  for (const id of needs.requests) {
    const request = cache.requests.get(id);
    if (request && !cache.touchOwner(ownerKey("player", request.player))) players.add(request.player);
  }
  if (players.size > 0) await ask(db, cache, { owners: [...players].map((id) => ({ kind: "player", id })), keys: [], requests: [] });
}

async function ask(db: SqlExecutor, cache: LedgerCache, question: BatchQuestion) {
  if (question.owners.length + question.keys.length + question.requests.length === 0) return;
  const answer = await readForBatch(db, cache.brand, question);
  for (const owner of question.owners) cache.owners.set(ownerKey(owner.kind as OwnerKind, owner.id), new Map());
  for (const account of answer.accounts) cache.owners.get(ownerKey(account.ownerKind, account.ownerId))!.set(account.type, account);
  for (const [key, state] of answer.keys) cache.keys.set(key, state);
  for (const id of question.requests) cache.requests.set(id, null);
  for (const request of answer.requests) cache.requests.set(request.id, request);
}

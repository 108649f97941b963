import type { SqlExecutor } from "../runtime/central-store.ts";
import { ownerKey, type LedgerCache } from "./ledger.ts";
import { loadAccounts, loadKeys, loadRequests } from "./ledger-reads.ts";
import type { Needs } from "./needs.ts";

/**
 * Bring what a batch needs into the caches: what is missing is read in one round of
 * parallel statements (a second round only for the players of newly seen requests).
 * As the only writer, what the cache holds is current; absence is cached too.
 */
export async function prefetch(db: SqlExecutor, cache: LedgerCache, needs: Needs): Promise<void> {
  const owners = [...needs.owners].filter(([key]) => !cache.touchOwner(key)).map(([, owner]) => owner);
  const keys = [...needs.keys].filter((key) => !cache.keys.has(key));
  const requests = [...needs.requests].filter((id) => !cache.requests.has(id));
  const [, states, found] = await Promise.all([
    loadOwners(db, cache, owners),
    keys.length > 0 ? loadKeys(db, cache.brand, keys) : new Map(),
    requests.length > 0 ? loadRequests(db, cache.brand, requests) : [],
  ]);
  for (const [key, state] of states) cache.keys.set(key, state);
  for (const id of requests) cache.requests.set(id, null);
  for (const request of found) cache.requests.set(request.id, request);

  const players = new Map<string, { kind: "player"; id: string }>();
  for (const id of needs.requests) {
    const request = cache.requests.get(id);
    if (request && !cache.touchOwner(ownerKey("player", request.player))) players.set(request.player, { kind: "player", id: request.player });
  }
  await loadOwners(db, cache, [...players.values()]);
}

async function loadOwners(db: SqlExecutor, cache: LedgerCache, owners: { kind: "player" | "agent" | "brand"; id: string }[]) {
  if (owners.length === 0) return;
  const accounts = await loadAccounts(db, cache.brand, owners);
  for (const owner of owners) cache.owners.set(ownerKey(owner.kind, owner.id), new Map());
  for (const account of accounts) cache.owners.get(ownerKey(account.ownerKind, account.ownerId))!.set(account.type, account);
}

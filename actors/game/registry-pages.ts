import { z } from "zod";
import { externalIdSchema, pageLimitSchema } from "../runtime/fields.ts";
import type { GameView, ProviderView } from "./messages.ts";

/**
 * Pages of the registry's lists (providers, games), read from the node's in-memory copy:
 * `?cursor=<nextCursor>&limit=n` answered `{ items, nextCursor }` like every list, the cursor
 * being the key of the last item of the previous page (a provider's code, `provider/game`).
 */
export const registryPageQuery = z.object({
  cursor: externalIdSchema.optional().describe("the nextCursor of the previous page"),
  limit: pageLimitSchema,
});
export type RegistryPageQuery = z.output<typeof registryPageQuery>;

export const providerKey = (p: Pick<ProviderView, "code">): string => p.code;
export const gameKey = (g: Pick<GameView, "provider" | "code">): string => `${g.provider}/${g.code}`;

/** The page of `items` after `cursor`, in the order of their keys. */
export function pageAfter<T>(items: readonly T[], keyOf: (item: T) => string, q: RegistryPageQuery): { items: T[]; nextCursor: string | null } {
  const keyed = items.map((item) => ({ key: keyOf(item), item })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const after = q.cursor === undefined ? keyed : keyed.filter((k) => k.key > q.cursor!);
  const page = after.slice(0, q.limit);
  return { items: page.map((k) => k.item), nextCursor: after.length > q.limit ? page.at(-1)!.key : null };
}

import { formatAddress } from "../runtime/address.ts";
import { fail, ok, type Outcome } from "../runtime/errors.ts";
import type { ActorSystem } from "../runtime/system.ts";

/**
 * A withdrawal waits until the player has no open rolling record. Rolling owns that rule, so
 * this asks `rolling@brand` and copies none of its logic. Until a rolling kind is registered
 * on the node there is nobody to ask and nothing blocks (`checked: false` says so).
 *
 * The rolling domain is expected to answer `open_records { playerId }` with
 * `{ open: number }` (the count of the player's open records).
 */
export async function withdrawalBlockedByRolling(
  system: Pick<ActorSystem, "kinds" | "askOutcome">,
  brand: string,
  playerId: string,
): Promise<Outcome<{ checked: boolean }>> {
  if (!system.kinds().some((k) => k.domain === "rolling")) return ok({ checked: false });
  const answer = await system.askOutcome(formatAddress("rolling", brand), "open_records", { playerId });
  if (!answer.ok) return answer;
  const open = (answer.value as { open: number }).open;
  if (open > 0) return fail("rolling_open", `a rolling (wagering) requirement is still open (${open}); finish it before withdrawing`, { open });
  return ok({ checked: true });
}

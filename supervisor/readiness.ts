import type { CentralStore } from "../actors/runtime/central-store.ts";
import type { Readiness } from "../actors/runtime/operations.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";

/** How often the central store is asked whether it answers. */
const STORE_PROBE_MS = 1000;

/**
 * Whether the central store answers: a `SELECT 1` every second (embedded PGlite always
 * does). Reads the last answer, so a probe of readiness never waits on the store.
 */
export class StoreProbe {
  private reachable = true;
  private lastError = "";
  private timer: ReturnType<typeof setInterval> | undefined;
  private probing = false;

  constructor(private store: Pick<CentralStore, "kind" | "query">) {}

  start(): this {
    if (this.store.kind === "postgres") {
      this.timer = setInterval(() => void this.probe(), STORE_PROBE_MS);
      this.timer.unref?.();
    }
    return this;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  /** Why the store cannot be used now, or undefined when it answered last time. */
  problem(): string | undefined {
    return this.reachable ? undefined : `PostgreSQL does not answer: ${this.lastError}`;
  }

  private async probe() {
    if (this.probing) return;
    this.probing = true;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${STORE_PROBE_MS} ms`)), STORE_PROBE_MS).unref?.());
    try {
      await Promise.race([this.store.query("SELECT 1"), timeout]);
      this.reachable = true;
    } catch (error) {
      this.reachable = false;
      this.lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.probing = false;
    }
  }
}

/**
 * The node's readiness: booted and not draining (nor drained of its brands), the mailbox store (Redis) and the central
 * store (PostgreSQL) reachable, and no hosted actor degraded or waiting for a dependency.
 */
export function readinessOf(node: { booted(): boolean; drained?(): boolean; system: Pick<ActorSystem, "status" | "transport">; store: Pick<StoreProbe, "problem"> }): Readiness {
  const reasons: string[] = [];
  if (!node.booted()) reasons.push("the node is starting or draining");
  if (node.drained?.()) reasons.push("the node is drained: other nodes serve its brands (restart it to take brands again)");
  if (!node.system.transport.reachable()) reasons.push("Redis does not answer: mailboxes cannot be reached");
  const store = node.store.problem();
  if (store) reasons.push(store);
  for (const actor of node.system.status()) {
    if (actor.state === "degraded") reasons.push(`${actor.address} is degraded after repeated crashes: ${actor.lastError ?? "unknown error"}`);
    else if (actor.state === "waiting") reasons.push(`${actor.address} waits for a dependency: ${actor.lastError ?? "unknown error"}`);
  }
  return { ready: reasons.length === 0, reasons };
}

import type { StoreTimeouts } from "../actors/runtime/central-store.ts";
import type { SystemOptions } from "../actors/runtime/system.ts";
import type { TransportLimits } from "../actors/runtime/transport.ts";
import type { Config } from "../config/index.ts";

/** The PostgreSQL session bounds a node's settings ask for. */
export function storeTimeouts(config: Config): Partial<StoreTimeouts> {
  return { lockMs: config.PG_LOCK_TIMEOUT_MS, idleInTransactionMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, statementMs: config.PG_STATEMENT_TIMEOUT_MS };
}

/** The mailbox limits a node's settings ask for. */
export function transportLimits(config: Config): TransportLimits {
  return { maxDeliveries: config.MAILBOX_MAX_DELIVERIES, claimIdleMs: config.MAILBOX_CLAIM_IDLE_MS };
}

/** The ActorSystem settings of a node, from its config: supervision, timeouts, bounds. */
export function actorSystemSettings(config: Config): Omit<SystemOptions, "transport" | "nodeId" | "log" | "metrics"> {
  return {
    supervision: {
      backoffMs: config.RESTART_BACKOFF_MS,
      maxBackoffMs: config.RESTART_BACKOFF_MAX_MS,
      intensity: config.RESTART_INTENSITY,
      periodMs: config.RESTART_PERIOD_MS,
    },
    askTimeoutMs: config.ASK_TIMEOUT_MS,
    maxQueued: config.MAILBOX_MAX_QUEUED,
    idleMs: config.ACTOR_IDLE_MS,
    deliverLocally: config.LOCAL_ASKS,
  };
}

import type { Config } from "../config/index.ts";
import type { SystemOptions } from "../actors/runtime/system.ts";
import type { TransportLimits } from "../actors/runtime/transport.ts";

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
  };
}

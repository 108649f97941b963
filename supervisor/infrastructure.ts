import type { Config } from "../config/index.ts";
import { LocalCatalogChanges, RedisCatalogChanges, type CatalogChanges } from "../actors/catalog/index.ts";
import type { EventBus } from "../actors/runtime/event-bus.ts";
import type { Logger } from "../actors/runtime/log.ts";
import { MemoryTransport } from "../actors/runtime/memory-transport.ts";
import type { MailboxTransport } from "../actors/runtime/transport.ts";

export type Infrastructure = {
  transport: MailboxTransport;
  events: EventBus;
  catalogChanges: CatalogChanges;
  close(): Promise<void>;
};

/** Redis Streams when REDIS_URL is set, in-process twins otherwise. */
export async function openInfrastructure(config: Config, _log: Logger): Promise<Infrastructure> {
  const limits = { maxDeliveries: config.MAILBOX_MAX_DELIVERIES, claimIdleMs: config.MAILBOX_CLAIM_IDLE_MS };
  if (config.REDIS_URL) {
    const catalogChanges = new RedisCatalogChanges(config.REDIS_URL);
    throw new Error("Redis transport not wired yet");
  }
  const transport = new MemoryTransport(limits);
  const catalogChanges: CatalogChanges = new LocalCatalogChanges();
  return {
    transport,
    events: undefined as never,
    catalogChanges,
    close: async () => {
      await transport.close();
    },
  };
}

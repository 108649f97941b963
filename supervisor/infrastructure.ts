import { type CatalogChanges, LocalCatalogChanges, RedisCatalogChanges } from "../actors/catalog/index.ts";
import type { EventBus } from "../actors/runtime/event-bus.ts";
import type { LeaseStore } from "../actors/runtime/leases.ts";
import type { Logger } from "../actors/runtime/log.ts";
import { MemoryEventBus } from "../actors/runtime/memory-event-bus.ts";
import { MemoryTransport } from "../actors/runtime/memory-transport.ts";
import { RedisEventBus } from "../actors/runtime/redis-event-bus.ts";
import { RedisLeases } from "../actors/runtime/redis-leases.ts";
import { RedisTransport } from "../actors/runtime/redis-transport.ts";
import type { MailboxTransport } from "../actors/runtime/transport.ts";
import type { Config } from "../config/index.ts";
import { transportLimits } from "./system-options.ts";

export type Infrastructure = {
  transport: MailboxTransport;
  events: EventBus;
  catalogChanges: CatalogChanges;
  /** membership and leases that place brands on nodes; only with Redis (a node alone hosts every brand) */
  leases?: LeaseStore;
  close(): Promise<void>;
};

/** Redis Streams, pub/sub and leases when REDIS_URL is set, in-process twins otherwise (no leases). */
export function openInfrastructure(config: Config, log: Logger): Infrastructure {
  const limits = transportLimits(config);
  if (config.REDIS_URL) {
    const url = config.REDIS_URL;
    const keyPrefix = config.REDIS_PREFIX;
    const transport = new RedisTransport({ url, keyPrefix, limits, log, connectionName: `node-${config.NODE_ID}` });
    const events = new RedisEventBus({ url, keyPrefix, log });
    const catalogChanges = new RedisCatalogChanges(url, `${keyPrefix}catalog:changed`);
    const leases = new RedisLeases({ url, keyPrefix, log, connectionName: `node-${config.NODE_ID}` });
    return {
      transport,
      events,
      catalogChanges,
      leases,
      close: async () => {
        await events.close();
        await transport.close();
        await catalogChanges.close();
        await leases.close();
      },
    };
  }
  const transport = new MemoryTransport(limits);
  const events = new MemoryEventBus({ log });
  return {
    transport,
    events,
    catalogChanges: new LocalCatalogChanges(),
    close: async () => {
      await events.close();
      await transport.close();
    },
  };
}

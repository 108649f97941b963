import type { Redis } from "ioredis";
import { closeRedis, openRedis } from "../runtime/redis-connection.ts";

/** Tells every node's catalog that the catalog tables changed, so each reloads. */
export interface CatalogChanges {
  publish(): Promise<void>;
  subscribe(listener: () => Promise<void>): Promise<() => Promise<void>>;
}

/** One process: listeners are called directly. */
export class LocalCatalogChanges implements CatalogChanges {
  private listeners = new Set<() => Promise<void>>();
  async publish() {
    await Promise.all([...this.listeners].map((l) => l()));
  }
  async subscribe(listener: () => Promise<void>) {
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }
}

/** Several nodes: Redis pub/sub on one channel. */
export class RedisCatalogChanges implements CatalogChanges {
  private publisher: Redis;
  constructor(
    private url: string,
    private channel = "catalog:changed",
  ) {
    this.publisher = openRedis(url, { role: "catalog changes" });
  }
  async publish() {
    await this.publisher.publish(this.channel, String(Date.now()));
  }
  async subscribe(listener: () => Promise<void>) {
    const subscriber = openRedis(this.url, { role: "catalog changes subscriber" });
    await subscriber.subscribe(this.channel);
    subscriber.on("message", () => void listener());
    return async () => {
      await closeRedis(subscriber);
    };
  }
  async close() {
    await closeRedis(this.publisher);
  }
}

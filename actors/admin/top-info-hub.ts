import type { Redis } from "ioredis";
import { closeRedis, openRedis } from "../runtime/redis-connection.ts";
import type { TopInfoCounters } from "./top-info.ts";

/** `version` grows with every change of a brand's counters: a reader drops anything older than what it has. */
export type TopInfoUpdate = { brand: string; counters: TopInfoCounters; version: number; at: number };
export type TopInfoListener = (update: TopInfoUpdate) => void;

/**
 * Where admin actors announce changed counters and every node's `/ws` sockets listen. The
 * actor of a brand runs on one node; staff sockets may be open on any.
 */
export interface TopInfoHub {
  publish(update: TopInfoUpdate): Promise<void>;
  subscribe(listener: TopInfoListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** One process: listeners are called directly. */
export class LocalTopInfoHub implements TopInfoHub {
  private listeners = new Set<TopInfoListener>();
  async publish(update: TopInfoUpdate) {
    for (const listener of this.listeners) listener(update);
  }
  async subscribe(listener: TopInfoListener) {
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }
  async close() {
    this.listeners.clear();
  }
}

/** Several nodes: Redis pub/sub on one channel; one subscriber connection per node, opened on first use. */
export class RedisTopInfoHub implements TopInfoHub {
  private publisher: Redis | undefined;
  private subscriber: Promise<Redis> | undefined;
  private local = new LocalTopInfoHub();

  constructor(
    private url: string,
    private channel = "admin:top-info",
  ) {}

  async publish(update: TopInfoUpdate) {
    this.publisher ??= openRedis(this.url, { role: "top-info publisher" });
    await this.publisher.publish(this.channel, JSON.stringify(update));
  }

  async subscribe(listener: TopInfoListener) {
    this.subscriber ??= this.listen();
    await this.subscriber;
    return this.local.subscribe(listener);
  }

  async close() {
    await this.local.close();
    if (this.publisher) await closeRedis(this.publisher);
    const subscriber = await this.subscriber?.catch(() => undefined);
    if (subscriber) await closeRedis(subscriber);
  }

  private async listen(): Promise<Redis> {
    const redis = openRedis(this.url, { role: "top-info subscriber" });
    await redis.subscribe(this.channel);
    redis.on("message", (_channel, message: string) => void this.local.publish(JSON.parse(message) as TopInfoUpdate));
    return redis;
  }
}

/**
 * The hub of one node, shared by its admin actors and its `/ws` route: Redis when the node
 * has REDIS_URL (actors and sockets may be on different nodes), in process otherwise.
 */
export function topInfoHub(config: { REDIS_URL?: string; REDIS_PREFIX?: string }): TopInfoHub {
  return config.REDIS_URL ? new RedisTopInfoHub(config.REDIS_URL, `${config.REDIS_PREFIX ?? ""}admin:top-info`) : new LocalTopInfoHub();
}

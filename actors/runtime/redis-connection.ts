import { Redis, type RedisOptions } from "ioredis";
import { createLogger, type Logger } from "./log.ts";

export type RedisConnectionOptions = Pick<RedisOptions, "connectionName" | "keyPrefix" | "protocol" | "enableAutoPipelining"> & {
  /** what the connection is for, in log lines */
  role: string;
  log?: Logger;
};

/** Reconnect attempts while Redis is away: often enough that work resumes within a second of its return. */
const RECONNECT_MS = [25, 50, 100, 200, 400];

/**
 * A Redis connection that fails fast while Redis is away instead of queueing. Once it has
 * been ready, a command sent while it is down is refused at once ("Stream isn't writeable"),
 * so no queue grows during an outage and nothing queued is applied on reconnect; a command
 * lost with its connection fails as soon as the connection closes ("Connection is closed",
 * the outcome unknown), never sent again. Errors are logged once per outage, and every
 * connection has a handler, so none is unhandled.
 */
export function openRedis(url: string, options: RedisConnectionOptions): Redis {
  const { role, log = createLogger("silent"), ...settings } = options;
  const redis = new Redis(url, {
    ...settings,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2000,
    retryStrategy: (times) => RECONNECT_MS[Math.min(times - 1, RECONNECT_MS.length - 1)]!,
  });
  let away = false;
  redis.on("error", (error) => {
    if (away) return;
    away = true;
    log.warn("redis unreachable; commands are refused until it returns", { role, error });
  });
  redis.on("close", () => failCommandsInFlight(redis));
  redis.on("ready", () => {
    // the queue only serves the first connect (commands issued while the process starts)
    redis.options.enableOfflineQueue = false;
    if (!away) return;
    away = false;
    log.info("redis reachable again", { role });
  });
  return redis;
}

/**
 * ioredis keeps the commands a closed connection had sent and, since nothing is resent,
 * drops them unsettled once it reconnects: a read blocked when Redis went away would wait
 * for good, and a node with it could not drain. At the close they fail instead. (flushQueue
 * is ioredis's own way to fail its queues; its "close" event comes before any reconnect.)
 */
function failCommandsInFlight(redis: Redis) {
  const queues = redis as unknown as { flushQueue(error: Error, options: { offlineQueue: boolean; commandQueue: boolean }): void };
  queues.flushQueue(new Error("Connection is closed."), { offlineQueue: false, commandQueue: true });
}

/** Close a connection within a bounded time whatever Redis does: QUIT when it answers, else drop it. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "ready") {
    const quit = redis.quit().then(
      () => true,
      () => false,
    );
    const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref?.());
    if (await Promise.race([quit, timer])) return;
  }
  redis.disconnect();
}

/** True while the connection can take commands. */
export const redisReachable = (redis: Redis) => redis.status === "ready";

import { Redis } from "ioredis";
import type { Delivery, Envelope } from "../../actors/runtime/envelope.ts";
import { createLogger } from "../../actors/runtime/log.ts";
import { MemoryTransport } from "../../actors/runtime/memory-transport.ts";
import { RedisTransport, type RedisTransportOptions } from "../../actors/runtime/redis-transport.ts";
import type { MailboxTransport, TransportLimits } from "../../actors/runtime/transport.ts";
import { waitFor } from "../support/services.ts";

/**
 * A transport under test plus what the shared suites need around it: a second node on the
 * same mailboxes, a connection count, and cleanup (`await using`).
 */
export type TransportHarness = AsyncDisposable & {
  transport: MailboxTransport;
  /** another node's transport over the same mailboxes */
  peer(): MailboxTransport;
  /** server-side connections this harness's transports hold; undefined in memory */
  connections(): Promise<number | undefined>;
};

export type MakeHarness = (limits: TransportLimits) => Promise<TransportHarness>;

export const memoryHarness: MakeHarness = async (limits) => {
  const transport = new MemoryTransport(limits);
  return {
    transport,
    peer: () => transport,
    connections: async () => undefined,
    [Symbol.asyncDispose]: () => transport.close(),
  };
};

/** RedisTransport on a key prefix and connection name of its own; keys deleted afterwards. */
export function redisHarness(url: string, tuning: Partial<RedisTransportOptions> = {}): MakeHarness {
  return async (limits) => {
    const run = crypto.randomUUID().slice(0, 8);
    const keyPrefix = `test-${run}:`;
    const connectionName = `mailbox-test-${run}`;
    const log = createLogger("error");
    const open = () => new RedisTransport({ url, keyPrefix, limits, log, connectionName, ...tuning });
    const transports = [open()];
    const admin = new Redis(url, { protocol: 2 });
    return {
      transport: transports[0]!,
      peer: () => {
        const peer = open();
        transports.push(peer);
        return peer;
      },
      connections: async () => {
        const list = String(await admin.call("CLIENT", "LIST"));
        return list.split("\n").filter((line) => line.includes(` name=${connectionName} `)).length;
      },
      [Symbol.asyncDispose]: async () => {
        await Promise.all(transports.map((t) => t.close()));
        let cursor = "0";
        do {
          const [next, keys] = await admin.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 1000);
          if (keys.length > 0) await admin.del(...keys);
          cursor = next;
        } while (cursor !== "0");
        await admin.quit();
      },
    };
  };
}

export function envelopeTo(to: string, body: unknown, options: { type?: string; replyTo?: string } = {}): Envelope {
  const id = crypto.randomUUID();
  const at = to.indexOf("@");
  return { id, to, type: options.type ?? "add", body, brand: at < 0 ? null : to.slice(at + 1), correlationId: id, replyTo: options.replyTo, sentAt: Date.now() };
}

/** A DeliveryHandler that records what it was handed, per address, in order. */
export function recorder() {
  const byAddress = new Map<string, Delivery[]>();
  return {
    handler: (address: string, deliveries: Delivery[]) => {
      const list = byAddress.get(address) ?? [];
      list.push(...deliveries);
      byAddress.set(address, list);
    },
    of: (address: string): Delivery[] => byAddress.get(address) ?? [],
    total: () => [...byAddress.values()].reduce((n, list) => n + list.length, 0),
    /** wait until `address` has been handed exactly `count` deliveries, and return them */
    await: (address: string, count: number): Promise<Delivery[]> =>
      waitFor(() => (byAddress.get(address)?.length === count ? byAddress.get(address) : undefined), { what: `${count} deliveries to ${address}` }),
  };
}

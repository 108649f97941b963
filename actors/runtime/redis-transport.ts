import type { Redis } from "ioredis";
import type { DeadLetter, Delivery, Envelope, ReplayedBy, ReplyEnvelope } from "./envelope.ts";
import { createLogger, type Logger } from "./log.ts";
import { decodeValue, encodeValue } from "./redis-codec.ts";
import { closeRedis, openRedis, redisReachable } from "./redis-connection.ts";
import { type ConsumerContext, fieldOf, RedisConsumer } from "./redis-consumer.ts";
import { MAILBOX_GROUP, MailboxKeys } from "./redis-keys.ts";
import { defineMailboxScripts, type ScriptedRedis } from "./redis-scripts.ts";
import type { Consumer, DeliveryHandler, MailboxStats, MailboxTransport, TransportLimits } from "./transport.ts";

export type RedisTransportOptions = {
  url: string;
  /** prepended to every key and reply channel, so tests and environments do not meet */
  keyPrefix?: string;
  limits: TransportLimits;
  log?: Logger;
  /** CLIENT SETNAME of every connection this transport opens */
  connectionName?: string;
  /** entries one read takes per stream (XREADGROUP COUNT) */
  readCount?: number;
  /** idle streams one blocking reader serves before a consumer opens another */
  keysPerReader?: number;
  /** busy streams a consumer moves to its hot reader, whose reads stay cheap */
  hotKeys?: number;
  blockMs?: number;
  /** a consumer of a gone node (no heartbeat), holding nothing, idle this long, is removed (10 min) */
  goneConsumerMs?: number;
  /** how often a node looks for what gone nodes left behind (1 min) */
  cleanupEveryMs?: number;
};

type ReplyHandler = (reply: ReplyEnvelope) => void;

/**
 * Mailboxes as Redis Streams: one stream and one consumer group per actor address, nodes as
 * consumers, XACK after the turn, idle entries of dead consumers reclaimed, a dead-letter
 * stream per address, replies over pub/sub. Connections: one for commands, one subscriber
 * for replies, and per consumer one blocking reader per `keysPerReader` watched mailboxes
 * plus one for the busy ones.
 */
export class RedisTransport implements MailboxTransport {
  readonly kind = "redis" as const;
  readonly limits: TransportLimits;
  readonly connectionName: string;
  private readonly keys: MailboxKeys;
  private readonly commands: ScriptedRedis;
  private readonly log: Logger;
  private subscriber: Redis | undefined;
  private inboxes = new Map<string, Set<ReplyHandler>>();
  private consumers = new Set<RedisConsumer>();
  private context: ConsumerContext;
  private closed = false;

  constructor(private options: RedisTransportOptions) {
    this.limits = options.limits;
    this.log = options.log ?? createLogger("warn");
    this.keys = new MailboxKeys(options.keyPrefix ?? "");
    this.connectionName = options.connectionName ?? "mailbox";
    this.commands = defineMailboxScripts(this.connect("commands", { enableAutoPipelining: true }));
    this.context = {
      commands: this.commands,
      keys: this.keys,
      limits: this.limits,
      log: this.log,
      readCount: options.readCount ?? 100,
      keysPerReader: options.keysPerReader ?? 1000,
      hotKeys: options.hotKeys ?? 64,
      blockMs: options.blockMs ?? 5000,
      goneConsumerMs: options.goneConsumerMs ?? 600_000,
      cleanupEveryMs: options.cleanupEveryMs ?? 60_000,
      connect: (role) => this.connect(role),
      ensureGroups: (streams) => this.ensureGroups(streams),
      deadLetter: (address, streamId, reason, count) => this.moveToDeadLetters(address, streamId, reason, count).then(() => {}),
      forget: (consumer) => this.consumers.delete(consumer),
    };
  }

  /** Connections currently open: commands, the reply subscriber, consumers' readers. */
  connections(): number {
    let readers = 0;
    for (const c of this.consumers) readers += c.connections;
    return 1 + (this.subscriber ? 1 : 0) + readers;
  }

  async send(envelope: Envelope): Promise<string> {
    const id = await this.commands.xadd(this.keys.of(envelope.to).stream, "*", "e", encodeValue(envelope));
    return id!;
  }

  consumer(name: string, handler: DeliveryHandler): Consumer {
    const consumer = new RedisConsumer(name, this.context, handler);
    this.consumers.add(consumer);
    return consumer;
  }

  async reply(replyTo: string, reply: ReplyEnvelope): Promise<void> {
    await this.commands.publish(this.keys.replyChannel(replyTo), encodeValue(reply));
  }

  async onReplies(inbox: string, handler: ReplyHandler): Promise<() => Promise<void>> {
    const channel = this.keys.replyChannel(inbox);
    const subscriber = this.replySubscriber();
    let handlers = this.inboxes.get(channel);
    if (!handlers) {
      this.inboxes.set(channel, (handlers = new Set()));
      await subscriber.subscribe(channel);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.inboxes.get(channel) !== handlers) return;
      this.inboxes.delete(channel);
      if (!this.closed) await subscriber.unsubscribe(channel).catch(() => {}); // a connection that is down has no subscription to end
    };
  }

  async deadLetter(address: string, delivery: Delivery, reason: string): Promise<void> {
    await this.moveToDeadLetters(address, delivery.streamId, reason, delivery.deliveryCount);
  }

  async keepDeadLetter(address: string, streamId: string, envelope: Envelope, reason: string, deliveryCount: number): Promise<void> {
    const { deadLetters } = this.keys.of(address);
    await this.commands.xadd(deadLetters, "*", "e", encodeValue(envelope), "id", streamId, "reason", reason, "count", String(deliveryCount), "at", String(Date.now()));
  }

  async deadLetters(address: string, limit = 100): Promise<DeadLetter[]> {
    const rows = await this.commands.xrange(this.keys.of(address).deadLetters, "-", "+", "COUNT", limit);
    return rows.map(([, fields]) => ({
      streamId: fieldOf(fields, "id")!,
      address,
      envelope: decodeLetter(fieldOf(fields, "e")!),
      reason: fieldOf(fields, "reason")!,
      deliveryCount: Number(fieldOf(fields, "count")),
      deadAt: Number(fieldOf(fields, "at")),
    }));
  }

  async replayDeadLetter(address: string, streamId: string, by?: ReplayedBy): Promise<boolean> {
    const { stream, deadLetters } = this.keys.of(address);
    let start = "-";
    for (;;) {
      const rows = await this.commands.xrange(deadLetters, start, "+", "COUNT", 200);
      const found = rows.find(([, fields]) => fieldOf(fields, "id") === streamId);
      if (found) {
        const [deadId, fields] = found;
        const replies = await this.commands
          .multi()
          .xadd(stream, "*", "e", withReplayer(fieldOf(fields, "e")!, by))
          .xdel(deadLetters, deadId)
          .exec();
        return replies?.[1]?.[1] === 1;
      }
      if (rows.length < 200) return false;
      start = `(${rows[rows.length - 1]![0]}`;
    }
  }

  async stats(address: string): Promise<MailboxStats> {
    const { stream, deadLetters } = this.keys.of(address);
    const replies = (await this.commands.pipeline().xlen(stream).xpending(stream, MAILBOX_GROUP).call("XINFO", "GROUPS", stream).xlen(deadLetters).exec())!;
    const length = Number(replies[0]![1] ?? 0);
    const pending = replies[1]![0] ? 0 : Number((replies[1]![1] as [number])[0]);
    const group = replies[2]![0] ? undefined : groupInfo(replies[2]![1] as unknown[][]);
    const lag = group ? await this.lagOf(stream, group) : length;
    return { address, length, pending, lag, deadLetters: Number(replies[3]![1] ?? 0) };
  }

  async trim(address: string): Promise<number> {
    return Number(await this.commands.mailboxTrim(this.keys.of(address).stream, MAILBOX_GROUP));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.closed = true;
    this.inboxes.clear();
    await Promise.all([closeRedis(this.commands), this.subscriber && closeRedis(this.subscriber)]);
  }

  /** False while Redis does not answer: sends, replies and acks are refused at once meanwhile. */
  reachable(): boolean {
    return redisReachable(this.commands);
  }

  private connect(role: string, extra: { enableAutoPipelining?: boolean } = {}): Redis {
    return openRedis(this.options.url, { role, log: this.log, connectionName: this.connectionName, protocol: 2, ...extra });
  }

  private replySubscriber(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.connect("replies");
      this.subscriber.on("message", (channel: string, message: string) => {
        let reply: ReplyEnvelope;
        try {
          reply = decodeValue<ReplyEnvelope>(message);
        } catch (error) {
          return this.log.warn("undecodable reply dropped; its ask times out", { channel, error });
        }
        for (const handler of this.inboxes.get(channel) ?? []) handler(reply);
      });
    }
    return this.subscriber;
  }

  /** Create the group at id 0 (so entries sent before anyone watched are delivered). */
  private async ensureGroups(streams: string[]): Promise<void> {
    await Promise.all(
      streams.map((stream) =>
        this.commands.xgroup("CREATE", stream, MAILBOX_GROUP, "0", "MKSTREAM").catch((error: unknown) => {
          if (!String(error).includes("BUSYGROUP")) throw error;
        }),
      ),
    );
  }

  private async moveToDeadLetters(address: string, streamId: string, reason: string, deliveryCount: number) {
    const { stream, deadLetters } = this.keys.of(address);
    return this.commands.mailboxDeadLetter(stream, deadLetters, MAILBOX_GROUP, streamId, reason, deliveryCount, Date.now());
  }

  /** XINFO's lag, or (when Redis cannot tell after deletions) a count past last-delivered. */
  private async lagOf(stream: string, group: Map<string, unknown>): Promise<number> {
    const lag = group.get("lag");
    if (typeof lag === "number") return lag;
    const after = await this.commands.xrange(stream, `(${group.get("last-delivered-id")}`, "+", "COUNT", 100_000);
    return after.length;
  }
}

/** A dead letter's entry as it goes back, naming who replays it (an undecodable one goes back as it was). */
function withReplayer(text: string, by: ReplayedBy | undefined): string {
  if (!by) return text;
  try {
    return encodeValue({ ...decodeValue<Envelope>(text), replayedBy: by });
  } catch {
    return text;
  }
}

/** A dead letter's envelope; one that cannot be decoded is shown as its raw text. */
function decodeLetter(text: string): Envelope {
  try {
    return decodeValue<Envelope>(text);
  } catch {
    return { id: "(undecodable)", to: "", type: "(undecodable)", body: text.slice(0, 200), brand: null, correlationId: "", sentAt: 0 };
  }
}

function groupInfo(groups: unknown[][]): Map<string, unknown> | undefined {
  for (const flat of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1]);
    if (info.get("name") === MAILBOX_GROUP) return info;
  }
  return undefined;
}

import type { DomainEvent, EventBusLimits, EventHandler, Subscription } from "./event-bus.ts";
import { decodeEvent, matchesTypes } from "./event-bus.ts";
import { classifyFailure } from "./failure-class.ts";
import type { Logger } from "./log.ts";

/** One entry of a stream as a group reader hands it out. */
export type StreamEntry = { stream: string; entryId: string; data: string; deliveryCount: number };

/** What each bus provides to the shared consume loop: one group, one consumer. */
export interface GroupReader {
  /** Entries never delivered to the group, up to `count` per stream; waits up to `blockMs`. */
  read(count: number, blockMs: number): Promise<StreamEntry[]>;
  /** Take over entries pending in the group for longer than `minIdleMs` (delivery count + 1). */
  claim(minIdleMs: number, count: number): Promise<StreamEntry[]>;
  ack(stream: string, entryIds: string[]): Promise<void>;
  /** Record a dead letter and acknowledge the entry, together. */
  deadLetter(entry: StreamEntry, group: string, reason: string): Promise<void>;
  /** Unblock a waiting read and release the reader's resources. */
  close(): Promise<void>;
}

type ConsumeOptions = { group: string; types?: string[]; limits: EventBusLimits; blockMs: number; log: Logger };

/**
 * The consume loop both buses share: read, filter, handle each brand's events in order
 * (brands concurrently), retry a failing handler with backoff, dead-letter past
 * `maxDeliveries`, acknowledge what was handled, and claim idle pending events now and then.
 */
export function consume(reader: GroupReader, handler: EventHandler, options: ConsumeOptions): Subscription {
  const { limits, group, log } = options;
  const claimEveryMs = Math.max(10, Math.floor(limits.claimIdleMs / 2));
  let stopped = false;
  let nextClaim = 0;

  const handleOne = async (entry: StreamEntry): Promise<"ack" | "dead" | "stopped"> => {
    if (entry.deliveryCount > limits.maxDeliveries) {
      await reader.deadLetter(entry, group, `delivered ${entry.deliveryCount - 1} times without an ack`);
      return "dead";
    }
    let event: DomainEvent;
    try {
      event = decodeEvent(entry.data);
    } catch (error) {
      await reader.deadLetter(entry, group, `undecodable entry: ${String(error)}`);
      return "dead";
    }
    if (!matchesTypes(options.types, event.type)) return "ack";
    for (let attempt = entry.deliveryCount, waits = 0; ; attempt++) {
      if (stopped) return "stopped";
      try {
        await handler(event, { group, deliveryCount: attempt });
        return stopped ? "stopped" : "ack";
      } catch (error) {
        if (stopped) return "stopped";
        if (classifyFailure(error) === "dependency") {
          // an outage is no failure of the event: wait for the dependency, count no attempt
          await delay(OUTAGE_RETRY_MS[Math.min(waits++, OUTAGE_RETRY_MS.length - 1)]!);
          attempt -= 1;
          continue;
        }
        if (attempt >= limits.maxDeliveries) {
          await reader.deadLetter({ ...entry, deliveryCount: attempt }, group, `handler failed ${attempt} times: ${errorText(error)}`);
          return "dead";
        }
        log.warn("event handler failed; retrying", { group, event: event.id, type: event.type, attempt, error });
        await delay(limits.retryDelayMs * 2 ** (attempt - entry.deliveryCount));
      }
    }
  };

  const handleStream = async (stream: string, entries: StreamEntry[]) => {
    const acked: string[] = [];
    let rest = entries;
    if (handler.many && entries.length > 1) {
      const together = new Set(await handleTogether(handler.many, entries));
      acked.push(...together);
      rest = entries.filter((entry) => !together.has(entry.entryId));
    }
    for (const entry of rest) {
      const result = await handleOne(entry);
      if (result === "stopped") break;
      if (result === "ack") acked.push(entry.entryId);
    }
    if (!stopped && acked.length > 0) await reader.ack(stream, acked);
  };

  /**
   * A stream's first deliveries handed over at once: the entries to acknowledge, or none when
   * the handler failed (each then goes through `handleOne`, with its retries and dead letters).
   */
  const handleTogether = async (many: NonNullable<EventHandler["many"]>, entries: StreamEntry[]): Promise<string[]> => {
    if (entries.some((entry) => entry.deliveryCount > 1)) return [];
    const events: DomainEvent[] = [];
    const handled: string[] = [];
    for (const entry of entries) {
      let event: DomainEvent;
      try {
        event = decodeEvent(entry.data);
      } catch {
        continue; // dead-lettered by handleOne
      }
      handled.push(entry.entryId);
      if (matchesTypes(options.types, event.type)) events.push(event);
    }
    try {
      if (events.length > 0) await many(events, { group, deliveryCount: 1 });
      return stopped ? [] : handled;
    } catch (error) {
      log.warn("event handler failed on a read's events together; handling them one by one", { group, error });
      return [];
    }
  };

  const handleAll = async (entries: StreamEntry[]) => {
    const byStream = new Map<string, StreamEntry[]>();
    for (const e of entries) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    await Promise.all([...byStream].map(([stream, list]) => handleStream(stream, list)));
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + claimEveryMs;
          await handleAll(await reader.claim(limits.claimIdleMs, limits.batchSize));
        }
        const blockMs = Math.max(1, Math.min(options.blockMs, nextClaim - Date.now()));
        await handleAll(await reader.read(limits.batchSize, blockMs));
        failures = 0;
      } catch (error) {
        if (stopped) break;
        failures += 1;
        if (failures === 1) log.error("event subscription failed; retrying", { group, error });
        await delay(OUTAGE_RETRY_MS[Math.min(failures - 1, OUTAGE_RETRY_MS.length - 1)]!);
      }
    }
  };
  void loop();

  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await reader.close();
    },
  };
}

/** Retries while Redis or an actor's store is away: reading resumes within a second of its return. */
const OUTAGE_RETRY_MS = [25, 50, 100, 200, 400];

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

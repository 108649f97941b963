import { Cron } from "croner";
import type { ActorContext, ActorKind } from "./actor.ts";
import { formatAddress, parseAddress } from "./address.ts";
import { type ActorStatus, Cell } from "./cell.ts";
import { quiesce, type RecoveryContext } from "./crash-recovery.ts";
import { type Delivery, type Envelope, makeEnvelope } from "./envelope.ts";
import { fail, type Outcome, PlatformError } from "./errors.ts";
import { LocalDelivery } from "./local-delivery.ts";
import type { Logger } from "./log.ts";
import type { Messenger } from "./messenger.ts";
import { RuntimeMetrics } from "./metrics.ts";
import { PendingAsks } from "./pending-asks.ts";
import { admit, sendFailure } from "./refusals.ts";
import type { SupervisionPolicy } from "./supervision.ts";
import type { Acknowledger, Consumer, MailboxTransport } from "./transport.ts";
import { TurnRunner } from "./turn-runner.ts";

export type { ActorStatus } from "./cell.ts";

export type SystemOptions = {
  transport: MailboxTransport;
  nodeId: string;
  log: Logger;
  supervision: SupervisionPolicy;
  askTimeoutMs: number;
  maxQueued: number;
  idleMs: number;
  metrics?: RuntimeMetrics;
  /** asks to actors hosted here are delivered in process (`LocalDelivery`); true by default */
  deliverLocally?: boolean;
};

/**
 * Hosts actors on one node: routes deliveries from the mailbox transport into per-address
 * queues, runs one turn at a time per address, replies and acknowledges after the turn,
 * passivates idle actors, supervises crashes, and fires croner timers as messages.
 */
export class ActorSystem implements Messenger {
  readonly metrics: RuntimeMetrics;
  readonly transport: MailboxTransport;
  readonly nodeId: string;
  private kindsByDomain = new Map<string, ActorKind>();
  private cells = new Map<string, Cell>();
  private asks = new PendingAsks();
  private crons: Cron[] = [];
  private consumer: Consumer | undefined;
  private stopReplies: (() => Promise<void>) | undefined;
  private draining = false;
  private mayTakeTurns: (brand: string | null) => boolean = () => true;
  private readonly inbox: string;
  private readonly log: Logger;
  private readonly local: LocalDelivery;
  private readonly acks: Acknowledger;
  private readonly recovery: RecoveryContext;
  private readonly turns: TurnRunner;

  constructor(private options: SystemOptions) {
    this.transport = options.transport;
    this.nodeId = options.nodeId;
    this.log = options.log;
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.inbox = `reply:${options.nodeId}`;
    this.local = new LocalDelivery(this.transport, this.inbox, this.asks);
    this.acks = this.local.acknowledger(() => this.consumer);
    this.recovery = {
      transport: this.local.outlet,
      consumer: () => this.acks,
      metrics: this.metrics,
      log: this.log,
      supervision: options.supervision,
      resume: (cell, resume) => this.turns.pump(cell, resume?.probe),
    };
    this.turns = new TurnRunner({
      log: this.log,
      metrics: this.metrics,
      idleMs: options.idleMs,
      outlet: this.local.outlet,
      acks: this.acks,
      recovery: this.recovery,
      mayTakeTurn: (cell) => !cell.leaving && !this.draining && this.mayTakeTurns(cell.brand),
      context: (cell) => this.context(cell),
    });
  }

  register(kind: ActorKind): this {
    if (this.kindsByDomain.has(kind.domain)) throw new Error(`actor kind ${kind.domain} registered twice`);
    this.kindsByDomain.set(kind.domain, kind);
    for (const timer of kind.timers ?? []) {
      const cron = new Cron(timer.cron, { paused: true, unref: true }, () =>
        this.fireTimer(kind.domain, timer.name).catch((error) => this.log.warn("timer not delivered; the next slot fires it again", { timer: timer.name, error })),
      );
      this.crons.push(cron);
      if (this.consumer && !this.draining) cron.resume();
    }
    return this;
  }

  async start(): Promise<void> {
    this.consumer = this.transport.consumer(this.nodeId, (address, deliveries) => this.accept(address, deliveries));
    this.stopReplies = await this.transport.onReplies(this.inbox, (reply) => this.asks.settle(reply));
    for (const cron of this.crons) cron.resume();
  }

  /** Start consuming the mailbox of an actor; its instance wakes on its first message. */
  async host(domain: string, brand: string | null): Promise<string> {
    const kind = this.kindsByDomain.get(domain);
    if (!kind) throw new Error(`no actor kind ${domain}`);
    if ((kind.scope === "brand") !== (brand !== null)) throw new Error(`${domain} is a ${kind.scope} actor`);
    const address = formatAddress(domain, brand);
    if (this.cells.has(address)) return address;
    this.cells.set(address, new Cell(address, domain, brand, kind));
    try {
      await this.requireConsumer().watch(address);
    } catch (error) {
      // not watched (Redis away): a later host must try again, not find it hosted
      this.cells.delete(address);
      throw error;
    }
    return address;
  }

  /**
   * Stop hosting an actor: its mailbox is no longer read, the turn running and the commits in
   * flight finish and are answered and acknowledged; what was read and not yet taken stays
   * pending in the mailbox for its next host.
   */
  async unhost(address: string): Promise<void> {
    const cell = this.cells.get(address);
    if (!cell) return;
    cell.leaving = true;
    const untaken = cell.queue;
    cell.queue = [];
    await this.requireConsumer().unwatch(address);
    await quiesce(cell);
    // asks delivered here and not taken (or put back by a failure) go to the mailbox, for the next host
    await this.local.forward([...untaken, ...cell.queue]);
    this.local.left(address);
    cell.queue = [];
    cell.clearTimers();
    await this.turns.finished();
    await cell.dropInstance();
    cell.state = "stopped";
    this.cells.delete(address);
  }

  /**
   * Make the instance of a hosted actor now rather than at its first message (an actor whose
   * activation fences out a former instance elsewhere, such as the wallet's epoch). Resolves
   * once it is made, or once making it failed (the failure policy retries that).
   */
  async activate(address: string): Promise<void> {
    const cell = this.cells.get(address);
    if (!cell || cell.behavior) return;
    this.turns.pump(cell, true);
    await cell.turnDone;
  }

  /** Take at once what other consumers hold pending in these hosted mailboxes (see `Consumer.claimNow`). */
  async claimPending(addresses: string[]): Promise<number> {
    return this.requireConsumer().claimNow(addresses.filter((a) => this.cells.has(a)));
  }

  /**
   * Turns of a brand's actors (null: the global ones) start only while `gate` says so: a node
   * whose lease on a brand may have run out takes no turn for it, whatever wakes it first.
   * Deliveries wait in the queue meanwhile (pending in the mailbox, for the next host).
   */
  gateTurns(gate: (brand: string | null) => boolean): void {
    this.mayTakeTurns = gate;
  }

  kinds(): ActorKind[] {
    return [...this.kindsByDomain.values()];
  }

  hosted(): string[] {
    return [...this.cells.keys()];
  }

  async tell(address: string, type: string, body: unknown, options: { id?: string; correlationId?: string } = {}) {
    await this.local.tell(envelopeTo(address, type, body, options), this.localCell(address, { tell: true }) !== undefined);
  }

  /** Ask and get the outcome as a value (expected failures included). */
  async askOutcome(address: string, type: string, body: unknown, options: { id?: string; correlationId?: string; timeoutMs?: number } = {}): Promise<Outcome> {
    const envelope = envelopeTo(address, type, body, options, this.inbox);
    const timeoutMs = options.timeoutMs ?? this.options.askTimeoutMs;
    const reply = this.asks.expect(envelope.id, timeoutMs, () =>
      fail("timeout", `${address} did not answer ${type} within ${timeoutMs} ms; the outcome is unknown, retry with the same id`),
    );
    const cell = this.localCell(address);
    if (cell) this.deliverHere(cell, envelope);
    // not awaited: the timeout runs from the start of the ask, whatever the send does
    else this.transport.send(envelope).catch((error) => this.asks.settle({ inReplyTo: envelope.id, outcome: sendFailure(address, error) }));
    return reply;
  }

  /** Ask and get the reply value; an expected failure is thrown as a PlatformError. */
  async ask<T = unknown>(address: string, type: string, body: unknown, options: { id?: string; correlationId?: string; timeoutMs?: number } = {}): Promise<T> {
    const outcome = await this.askOutcome(address, type, body, options);
    if (!outcome.ok) throw PlatformError.from(outcome.error);
    return outcome.value as T;
  }

  /** Whether actors of `domain` run on this node (its kind is registered). */
  runs(domain: string): boolean {
    return this.kindsByDomain.has(domain);
  }

  degradation(domain: string, brand: string | null): { retryAfterMs: number } | null {
    const cell = this.cells.get(formatAddress(domain, brand));
    if (cell?.state !== "degraded") return null;
    return { retryAfterMs: Math.max(0, cell.degradedUntil - Date.now()) };
  }

  status(): ActorStatus[] {
    return [...this.cells.values()].map((c) => c.status());
  }

  /** Operator restart: clears degradation and the restart history, drops the instance. */
  async restart(address: string): Promise<boolean> {
    const cell = this.cells.get(address);
    if (!cell) return false;
    await quiesce(cell);
    await cell.dropInstance(this.log);
    cell.restartTimes = [];
    cell.state = "idle";
    this.metrics.degraded.set({ domain: cell.domain, brand: cell.brand ?? "" }, 0);
    this.turns.pump(cell);
    return true;
  }

  /** Deliver a kind's timer to every hosted actor of that kind (croner calls this). */
  async fireTimer(domain: string, name: string, at: number = Date.now()): Promise<void> {
    const slot = Math.floor(at / 1000);
    for (const cell of this.cells.values()) {
      if (cell.domain !== domain) continue;
      await this.tell(cell.address, "timer", { name, firedAt: at }, { id: `timer:${name}:${cell.address}:${slot}` });
    }
  }

  /** Stop taking work, let running turns finish, stop timers and the consumer. */
  async drain(): Promise<void> {
    this.draining = true;
    for (const cron of this.crons) cron.stop();
    // deliveries arriving now are left pending (not acked) for the next owner
    await Promise.all([...this.cells.values()].map(quiesce));
    await this.turns.finished();
    await this.consumer?.stop().catch((error) => this.log.warn("mailbox consumer not stopped cleanly", { error }));
    for (const cell of this.cells.values()) {
      await cell.dropInstance(this.log);
      cell.state = "stopped";
    }
    await this.stopReplies?.().catch((error) => this.log.warn("reply inbox not closed cleanly", { error }));
    this.asks.abandon("the node is shutting down; retry with the same id");
  }

  private requireConsumer(): Consumer {
    if (!this.consumer) throw new Error("ActorSystem.start() first");
    return this.consumer;
  }

  private accept(address: string, deliveries: Delivery[]) {
    this.local.arrived(address, deliveries);
    const cell = this.cells.get(address);
    if (!cell || cell.leaving || this.draining) return;
    admit(cell, deliveries, { transport: this.local.outlet, consumer: this.acks, metrics: this.metrics, maxQueued: this.options.maxQueued });
    this.turns.pump(cell);
  }

  /** The cell an ask to `address` is delivered to in process, if this node may take its turns now. */
  private localCell(address: string, options: { tell?: boolean } = {}): Cell | undefined {
    if (this.options.deliverLocally === false || this.draining) return undefined;
    const cell = this.cells.get(address);
    if (!cell || cell.leaving || !this.mayTakeTurns(cell.brand)) return undefined;
    return options.tell || !this.local.overtakes(address) ? cell : undefined;
  }

  private deliverHere(cell: Cell, envelope: Envelope) {
    let delivery: Delivery;
    try {
      delivery = this.local.delivery(envelope);
    } catch (error) {
      return void this.asks.settle({ inReplyTo: envelope.id, outcome: sendFailure(cell.address, error) });
    }
    this.metrics.localAsks.inc({ domain: cell.domain });
    admit(cell, [delivery], { transport: this.local.outlet, consumer: this.acks, metrics: this.metrics, maxQueued: this.options.maxQueued });
    // asks made in the same tick are taken together, as one mailbox read would hand them over
    if (cell.pumpDue) return;
    cell.pumpDue = true;
    queueMicrotask(() => {
      cell.pumpDue = false;
      this.turns.pump(cell);
    });
  }

  private context(cell: Cell): ActorContext {
    return {
      address: cell.address,
      domain: cell.domain,
      brand: cell.brand,
      log: this.log.child({ actor: cell.address }),
      tell: (address, type, body, options) => this.tell(address, type, body, options),
    };
  }
}

function envelopeTo(to: string, type: string, body: unknown, options: { id?: string; correlationId?: string }, replyTo?: string): Envelope {
  return makeEnvelope(to, type, body, options, parseAddress(to).brand, replyTo);
}

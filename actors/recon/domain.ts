import type { ShardPool } from "../../shards/index.ts";
import type { ActorKind } from "../runtime/actor.ts";
import { formatAddress } from "../runtime/address.ts";
import { tellerOf } from "../runtime/client.ts";
import type { DomainEvent, EventBus, EventHandler, Subscription } from "../runtime/event-bus.ts";
import { DependencyError } from "../runtime/failure-class.ts";
import type { Logger } from "../runtime/log.ts";
import type { Messenger } from "../runtime/messenger.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { walletClient } from "../wallet/index.ts";
import { type ReconKindOptions, reconKind } from "./actor.ts";
import { CONSUMED_EVENT_TYPES, type DepositMatched, depositMatchedSchema, RECON_EVENTS } from "./events.ts";
import { IntakeLoops } from "./intake-loops.ts";
import type { BackoffPolicy } from "./loops/backoff.ts";
import { reconProtocol } from "./messages.ts";
import { SecretBox } from "./secret-box.ts";
import { UpstreamPolicy } from "./upstreams.ts";

/** Who the wallet hears approving a matched deposit. */
export const RECON_STAFF = { staffId: null, username: "recon" } as const;

/** Refusals that say "not now": the approval is tried again, never given up. */
const TRY_AGAIN = new Set(["unavailable", "timeout", "overloaded", "degraded"]);

type Needs = {
  config: { secrets: { recon: string }; RECON_UPSTREAM_HOSTS?: readonly string[] };
  log: Logger;
  shards: ShardPool;
  system: Messenger;
  events: EventBus;
  relay?: Pick<OutboxRelay, "notify">;
};

export type ReconOptions = ReconKindOptions & { backoff?: BackoffPolicy };

/**
 * The recon domain of one node: the actor kind, the secret box, and its node services: the
 * wallet's deposit events fed to `recon@brand` (group "recon"), the approval of each match
 * through the wallet (group "recon-approvals": a crash between match and approval approves
 * later, and the request id makes a second approval answer the first), and the intake loops
 * of the brands this node hosts.
 */
export class ReconDomain {
  readonly secrets: SecretBox;
  /** where sources' tokens may go: the public services, and the hosts the operator allowed */
  readonly upstreams: UpstreamPolicy;
  readonly loops: IntakeLoops;
  private subscriptions: Subscription[] = [];

  constructor(
    private ctx: Needs,
    private options: ReconOptions = {},
  ) {
    this.secrets = new SecretBox(ctx.config.secrets.recon);
    this.upstreams = new UpstreamPolicy(ctx.config.RECON_UPSTREAM_HOSTS);
    this.loops = new IntakeLoops({ system: ctx.system, log: ctx.log.child({ domain: "recon" }), secrets: this.secrets, upstreams: this.upstreams }, options.backoff);
  }

  kinds(): ActorKind[] {
    return [reconKind({ shards: this.ctx.shards, relay: this.ctx.relay, sourcesChanged: (brand) => void this.loops.sync(brand) }, this.options)];
  }

  async start(): Promise<void> {
    const { events, system } = this.ctx;
    this.subscriptions.push(await events.subscribe("recon", { types: CONSUMED_EVENT_TYPES }, walletFeed(system)));
    this.subscriptions.push(await events.subscribe("recon-approvals", { types: [RECON_EVENTS.depositMatched] }, (event) => this.approve(event)));
  }

  /** Placement's word: this node now hosts `brand` (start its loops) or no longer does (stop them). */
  brandHosted(brand: string, hosted: boolean): Promise<void> {
    return hosted ? this.loops.host(brand) : this.loops.unhost(brand);
  }

  async stop(): Promise<void> {
    for (const s of this.subscriptions.splice(0).reverse()) await s.stop();
    await this.loops.stop();
  }

  private async approve(event: DomainEvent): Promise<void> {
    const parsed = depositMatchedSchema.safeParse(event.payload);
    if (event.brand === null || !parsed.success) {
      this.ctx.log.error("recon.deposit_matched event without a brand or a match; nothing approved", { event: event.id });
      return;
    }
    const match: DepositMatched = parsed.data;
    // `by` is how the wallet audits a decision; a wallet that takes only staffId ignores it
    const approval = { requestId: match.requestId, source: "recon" as const, by: RECON_STAFF };
    const outcome = await walletClient(this.ctx.system, event.brand).depositApprove(approval);
    if (outcome.ok) return;
    if (TRY_AGAIN.has(outcome.error.code)) throw new DependencyError(`the wallet could not approve ${match.requestId} now: ${outcome.error.code}`);
    const refused = { messageId: match.messageId, requestId: match.requestId, code: outcome.error.code, message: outcome.error.message.slice(0, 500) };
    await tellerOf(this.ctx.system, reconProtocol, "recon", event.brand).tell("approvalRefused", refused, { id: `${event.id}:refused`, correlationId: event.id });
  }
}

/**
 * The wallet's deposit events to `recon@<brand>`, each under its event id (the journal applies
 * it once) with when it happened: a request's window runs from when the player asked, however
 * late recon hears of it.
 */
function walletFeed(system: Pick<Messenger, "tell">): EventHandler {
  const tell = (e: DomainEvent) =>
    e.brand === null ? Promise.resolve() : system.tell(formatAddress("recon", e.brand), e.type, { ...e.payload, at: e.at }, { id: e.id, correlationId: e.id });
  // a read's events go out together and in order, so the actor takes them in one turn
  return Object.assign(async (e: DomainEvent) => tell(e), { many: async (es: DomainEvent[]) => void (await Promise.all(es.map(tell))) });
}

/**
 * What edges use of recon beyond its client: sealing a secret staff gave, opening a webhook's
 * to check a signature, and whether a source's URLs are hosts its token may go to.
 */
export type ReconEdgeView = Pick<SecretBox, "seal" | "open"> & { upstreamRefusal: UpstreamPolicy["refusal"] };

/** The edges' view of a node's recon domain. */
export function reconEdgeView(recon: Pick<ReconDomain, "secrets" | "upstreams">): ReconEdgeView {
  return {
    seal: (plain, brand, sourceId) => recon.secrets.seal(plain, brand, sourceId),
    open: (sealed, brand, sourceId) => recon.secrets.open(sealed, brand, sourceId),
    upstreamRefusal: (kind, settings) => recon.upstreams.refusal(kind, settings),
  };
}

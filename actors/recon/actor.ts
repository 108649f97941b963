import type { ShardPool } from "../../shards/index.ts";
import { answeringQueries, journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import type { ActorKind, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import { fail, type Outcome } from "../runtime/errors.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { shardOutboxName } from "../runtime/outbox-shard.ts";
import { WALLET_DEPOSIT_EVENTS } from "./events.ts";
import { ingest } from "./intake.ts";
import { approvalRefused, type DepositEvent, depositDecided, depositRequested } from "./matcher.ts";
import { RECON_QUERIES, type ReconMessageType, reconProtocol, walletDepositEvent } from "./messages.ts";
import { dismiss, matchManually, unmatch } from "./review.ts";
import { createSource, intakeSources, listSources, loopStatus, rotateSecret, updateSource, webhookSource } from "./sources.ts";
import { DEFAULT_RULES, type ReconRules, type ReconTurn } from "./turn.ts";
import { getMessage, listMessages, reviewQueue } from "./views.ts";

/** each handler takes its own message's body, validated against the protocol before the turn */
type Handler = (turn: ReconTurn, body: never) => Outcome;

const HANDLERS: Record<ReconMessageType, Handler> = {
  ingest,
  loopStatus,
  createSource,
  updateSource,
  rotateSecret,
  matchManually,
  unmatch,
  dismiss,
  approvalRefused,
  sources: listSources,
  intakeSources,
  webhookSource,
  messages: listMessages,
  message: getMessage,
  reviewQueue,
};

const EVENT_HANDLERS: Record<string, Handler> = {
  [WALLET_DEPOSIT_EVENTS.requested]: depositRequested,
  [WALLET_DEPOSIT_EVENTS.approved]: (turn, e: DepositEvent) => depositDecided(turn, e, "approved"),
  [WALLET_DEPOSIT_EVENTS.rejected]: (turn, e: DepositEvent) => depositDecided(turn, e, "rejected"),
};

const SOURCE_CHANGES = new Set(["createSource", "updateSource", "rotateSecret"]);

export type ReconKindOptions = { rules?: Partial<ReconRules>; clock?: () => number };

export type ReconKindDeps = {
  shards: ShardPool;
  relay?: Pick<OutboxRelay, "notify">;
  /** told after a batch that changed a source committed: the hosting node restarts that brand's loops */
  sourcesChanged?: (brand: string) => void;
};

/**
 * `recon@brand`: bank notices, their parses and matches, the review queue, source
 * configurations and loop health, in the brand's shard. Commands and the wallet's events run
 * through the journaled behavior (one SQLite transaction per batch; outcome, outbox events and
 * audit in the same commit); queries read the shard directly.
 */
export function reconKind(deps: ReconKindDeps, options: ReconKindOptions = {}): ActorKind {
  const rules = { ...DEFAULT_RULES, ...options.rules };
  const clock = options.clock ?? Date.now;
  return {
    domain: "recon",
    scope: "brand",
    maxBatch: 50,
    messages: { ...schemasOf(reconProtocol), ...Object.fromEntries(Object.keys(EVENT_HANDLERS).map((type) => [type, walletDepositEvent])) },
    create: (actor) => {
      const brand = actor.brand!;
      const shard = deps.shards.acquire(brand);
      const handle = (m: Incoming, t: Pick<ShardTurn, "emit">): Outcome => {
        const handler = HANDLERS[m.type as ReconMessageType] ?? EVENT_HANDLERS[m.type];
        if (!handler) return fail("unknown_message", `recon does not take ${m.type}`);
        return handler({ sqlite: shard.sqlite, brand, emit: t.emit, now: clock(), rules }, m.body as never);
      };
      const commands = journaledBehavior(shard, actor.address, handle, {
        passivate: async () => deps.shards.release(brand),
        // matches reach the approval service and audits reach identity now, not at the relay's fallback round
        emitted: () => deps.relay?.notify(shardOutboxName(brand)),
      });
      const query = (m: Incoming) =>
        handle(m, {
          emit: () => {
            throw new Error(`${m.type} is a query and may not emit events`);
          },
        });
      return answeringQueries(commands, {
        isQuery: (type) => RECON_QUERIES.has(type),
        query,
        // a staff view asked right after a change shows it
        inOrder: true,
        committed: (writes) => {
          if (writes.some((m) => SOURCE_CHANGES.has(m.type))) deps.sourcesChanged?.(brand);
        },
      });
    },
  };
}

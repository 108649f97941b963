import type { ShardPool } from "../../shards/index.ts";
import { answeringQueries, journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import { type BrandDirectory, brandSettings } from "../catalog/index.ts";
import { type ActorKind, type Incoming, schemasOf } from "../runtime/actor.ts";
import { fail, type Outcome } from "../runtime/errors.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { shardOutboxName } from "../runtime/outbox-shard.ts";
import { type RetryPolicy, SettlementBook, SettlementViews } from "../settlement/index.ts";
import { playerRegistered, SETTLEMENT_RESULT_HANDLERS, walletEvent } from "./activity.ts";
import { AgentStore } from "./agent-store.ts";
import { activity, activityByPlayer, agent, downlinePlayers, listAgents, ownPlayer } from "./downline.ts";
import { CONSUMED_EVENT_TYPES, CONSUMED_EVENTS, fedEvent } from "./events.ts";
import { AGENT_QUERIES, type AgentMessageType, agentProtocol } from "./messages.ts";
import { changePassword, credentials, loginChallenge, loginResult, logout, sessionCheck } from "./sessions.ts";
import { requeueSettlement, runSettlement, SETTLE_TIMER, settlementLines, settlements, settleTimer } from "./settlement.ts";
import { createAgent, createSubAgent, moveAgent, reinstateAgent, resetAgentPassword, suspendAgent, updateAgent } from "./tree.ts";
import type { AgentTurn, Handler } from "./turn.ts";

const COMMANDS: Record<AgentMessageType, Handler> = {
  createAgent,
  updateAgent,
  moveAgent,
  suspendAgent,
  reinstateAgent,
  resetAgentPassword,
  createSubAgent,
  loginChallenge,
  loginResult,
  sessionCheck,
  logout,
  credentials,
  changePassword,
  agent,
  listAgents,
  downlinePlayers,
  ownPlayer,
  activity,
  activityByPlayer,
  settlements,
  settlementLines,
  runSettlement,
  requeueSettlement,
};

/** Other domains' events, each a message of its type under the event's id. */
const EVENT_HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(CONSUMED_EVENT_TYPES.map((type) => [type, walletEvent(type)])),
  [CONSUMED_EVENTS.playerRegistered]: playerRegistered,
  ...SETTLEMENT_RESULT_HANDLERS,
  timer: settleTimer,
};

export type AgentKindDeps = { shards: ShardPool; catalog: Pick<BrandDirectory, "get">; relay?: Pick<OutboxRelay, "notify"> };
export type AgentKindOptions = { retry?: RetryPolicy };

/**
 * `agent@brand`: the brand's agent tree, agents' sessions, linked players and their activity,
 * and commission settlements, in its shard. Commands and events run through the journaled
 * behavior (one SQLite transaction per batch, outcome and outbox events in the same commit,
 * the relay woken after it); queries read the shard directly and are not journaled.
 */
export function agentKind(deps: AgentKindDeps, options: AgentKindOptions = {}): ActorKind {
  return {
    domain: "agent",
    scope: "brand",
    messages: { ...schemasOf(agentProtocol), ...Object.fromEntries(CONSUMED_EVENT_TYPES.map((type) => [type, fedEvent])) },
    maxBatch: 64,
    timers: [SETTLE_TIMER],
    create: (actor) => {
      const brand = actor.brand!;
      const shard = deps.shards.acquire(brand);
      const agents = new AgentStore(shard.sqlite);
      const book = new SettlementBook(shard.sqlite, "agent", options.retry);
      const settlementViews = new SettlementViews(shard.sqlite, "agent");
      const handle = (m: Incoming, t: Pick<ShardTurn, "emit" | "now">): Outcome => {
        const turn: AgentTurn = { sqlite: shard.sqlite, agents, book, settlementViews, brand, settings: brandSettings(deps.catalog.get(brand)), emit: t.emit, now: t.now };
        const handler = Object.hasOwn(COMMANDS, m.type) ? COMMANDS[m.type as AgentMessageType] : EVENT_HANDLERS[m.type];
        return handler ? handler(m.body, turn) : fail("unknown_message", `agent does not take ${m.type} messages`);
      };
      const commands = journaledBehavior(shard, actor.address, handle, {
        passivate: async () => deps.shards.release(brand),
        // the wallet takes credit requests and identity audits at once, not at the relay's fallback round
        emitted: () => deps.relay?.notify(shardOutboxName(brand)),
      });
      const query = (m: Incoming) =>
        handle(m, {
          now: Date.now(),
          emit: () => {
            throw new Error(`${m.type} is a query and may not emit events`);
          },
        });
      return answeringQueries(commands, { isQuery: (type) => AGENT_QUERIES.has(type), query });
    },
  };
}

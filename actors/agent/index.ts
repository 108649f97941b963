import { CATALOG_ADDRESS, catalogProtocol } from "../catalog/index.ts";
import { formatAddress } from "../runtime/address.ts";
import { type Client, protocolClient, tellerOf } from "../runtime/client.ts";
import type { DomainEvent, EventBus, Subscription } from "../runtime/event-bus.ts";
import type { Messenger } from "../runtime/messenger.ts";
import { isResultFor, SETTLEMENT_EVENTS } from "../settlement/index.ts";
import { AGENT_EVENTS, type AgentCreated, CONSUMED_EVENT_TYPES } from "./events.ts";
import { type AgentProtocol, agentProtocol } from "./messages.ts";

export { type AgentKindDeps, type AgentKindOptions, agentKind } from "./actor.ts";
export { type AgentAccessIssuer, type AgentAuth, type AgentLogIn, type AgentSignedIn, changeAgentPassword, logInAgent } from "./auth-flow.ts";
export { type CommissionLine, commissionLines, type OwnBase, ratesWithin, type TreeAgent } from "./commission.ts";
export { AGENT_EVENTS, CONSUMED_EVENT_TYPES as AGENT_CONSUMED_EVENT_TYPES } from "./events.ts";
export * as agentFields from "./fields.ts";
export { AGENT_QUERIES, type AgentProtocol, type AgentView, activityReport, agentProtocol, agentView, downlinePlayer, playerDay } from "./messages.ts";
export * as agentTables from "./schema.ts";
export { COMMISSION_PROGRAM, SETTLE_TIMER, SETTLEMENT_GRACE_MS } from "./settlement.ts";

export const AGENT_DOMAIN = "agent";

/** Typed asks to `agent@brand`. */
export const agentClient = (messenger: Messenger, brand: string): AgentClient => protocolClient(messenger, agentProtocol, AGENT_DOMAIN, brand);
export type AgentClient = Client<AgentProtocol>;

/**
 * The agent domain's consumer (its own group, `agent`): sign-ups, the wallet's money events
 * and the wallet's answers to settlement lines (every credit, since a linked player's cash
 * follows a promotion's too; refusals of this domain's lines only),
 * each told to `agent@brand` with when it happened, under the event's id, so the actor's
 * journal applies each once. A read's events for one brand go out together (one turn).
 */
export function startAgentFeed(events: EventBus, messenger: Pick<Messenger, "tell">): Promise<Subscription> {
  const tell = async (e: DomainEvent) => {
    // another domain's refused line is nothing to this one; its credits move a linked player's cash
    if (e.brand === null || (e.type === SETTLEMENT_EVENTS.refused && !isResultFor(AGENT_DOMAIN, e.payload))) return;
    await messenger.tell(formatAddress(AGENT_DOMAIN, e.brand), e.type, { at: e.at, payload: e.payload }, { id: e.id, correlationId: e.id });
  };
  const handler = Object.assign(tell, { many: async (es: DomainEvent[]) => void (await Promise.all(es.map(tell))) });
  return events.subscribe(AGENT_DOMAIN, { types: [...CONSUMED_EVENT_TYPES] }, handler);
}

/**
 * A new agent may act in its brand: each `agent.created` is told to the catalog (the one
 * writer of the allow-list) as `allowAgent` under the event's id, in the name of whoever
 * created the agent, so the allow-list's audit says who. A consumer group of its own
 * (`allow-list`), so no other reader of the catalog's shares its events.
 */
export function startAllowListFeed(events: EventBus, messenger: Pick<Messenger, "tell">): Promise<Subscription> {
  const tell = async (e: DomainEvent) => {
    if (e.brand === null) return;
    const { agentId, by } = e.payload as AgentCreated;
    await tellerOf(messenger, catalogProtocol, CATALOG_ADDRESS, null).tell("allowAgent", { brand: e.brand, agentId, by }, { id: e.id, correlationId: e.id });
  };
  return events.subscribe("allow-list", { types: [AGENT_EVENTS.created] }, Object.assign(tell, { many: async (es: DomainEvent[]) => void (await Promise.all(es.map(tell))) }));
}

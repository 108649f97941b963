import { type ActingStaff, type AuditEntry, auditEvent } from "../identity/index.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { type AgentRow, AgentStore, agentViewOf, ratesOf } from "./agent-store.ts";
import { ratesWithin } from "./commission.ts";
import { AGENT_EVENTS, type AgentCreated } from "./events.ts";
import type { Rates } from "./fields.ts";
import type { AgentBody } from "./messages.ts";
import { revokeSessions } from "./sessions.ts";
import type { AgentTurn, Handler } from "./turn.ts";

/**
 * The agent tree: staff create, edit, move, suspend and reinstate agents (each audited in the
 * same commit); an agent creates sub-agents within its own subtree. Two rules hold for every
 * change: the tree is at most the brand's `agent.maxDepth` levels, and no agent's rate exceeds
 * its parent's, category by category.
 */

export const agentNotFound = (id: string): Outcome<never> => fail("agent_not_found", `no agent ${id}`);

type NewAgent = Omit<AgentBody<"createAgent">, "by" | "parentId">;

function insertAgent(turn: AgentTurn, input: NewAgent, parent: AgentRow | null, createdBy: string, by: AgentCreated["by"]): Outcome<AgentRow> {
  const level = (parent?.level ?? 0) + 1;
  const maxDepth = turn.settings.agent.maxDepth;
  if (level > maxDepth) return fail("depth_exceeded", `this brand's agent tree has at most ${maxDepth} levels`, { setting: "agent.maxDepth", limit: maxDepth });
  const rates = input.rates;
  const above = parent && ratesWithin(rates, ratesOf(parent));
  if (above) return fail("rate_above_parent", `${above}; a sub-agent's rates are at most its parent's`);
  if (turn.agents.byLoginName(input.loginName)) return fail("login_name_taken", `the login name ${input.loginName} is taken; choose another`);
  const code = input.code ?? freeCode(turn.agents);
  if (turn.agents.byCode(code)) return fail("code_taken", `the code ${code} is taken; choose another`);
  const id = crypto.randomUUID();
  const row = turn.agents.insert({
    id,
    parent_id: parent?.id ?? null,
    level,
    path: `${parent?.path ?? "/"}${id}/`,
    login_name: input.loginName,
    name: input.name,
    password_hash: input.passwordHash,
    code,
    rolling_rates: JSON.stringify(rates.rolling),
    losing_rate: rates.losing,
    created_at: turn.now,
    created_by: createdBy,
  });
  const created: AgentCreated = { agentId: id, parentId: row.parent_id, level, loginName: row.login_name, code, by };
  turn.emit({ type: AGENT_EVENTS.created, payload: created });
  return ok(row);
}

export const createAgent: Handler<AgentBody<"createAgent">> = ({ by, parentId, ...input }, turn) => {
  const parent = parentId === null ? null : turn.agents.find(parentId);
  if (parentId !== null && !parent) return agentNotFound(parentId);
  const created = insertAgent(turn, input, parent, by.staffId ?? by.username, by);
  if (!created.ok) return created;
  const view = agentViewOf(created.value);
  audited(turn, by, { action: "agent.create", target: `agent:${view.id}`, after: view });
  return ok(view);
};

/** An agent below itself: under itself or an agent of its subtree (another's agent reads as unknown). */
export const createSubAgent: Handler<AgentBody<"createSubAgent">> = ({ asAgent, parentId, ...input }, turn) => {
  const creator = turn.agents.find(asAgent);
  if (creator?.status !== "active") return fail("forbidden", "this agent may not create sub-agents now");
  const parent = turn.agents.find(parentId ?? asAgent);
  if (!parent || !AgentStore.within(parent, asAgent)) return agentNotFound(parentId ?? asAgent);
  const created = insertAgent(turn, input, parent, `agent:${creator.id}`, { staffId: null, username: `agent:${creator.login_name}` });
  return created.ok ? ok(agentViewOf(created.value)) : created;
};

export const updateAgent: Handler<AgentBody<"updateAgent">> = ({ agentId, by, rates, name, code }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row) return agentNotFound(agentId);
  if (rates) {
    const refused = ratesRefusal(turn, row, rates);
    if (refused) return refused;
  }
  if (code && code !== row.code && turn.agents.byCode(code)) return fail("code_taken", `the code ${code} is taken; choose another`);
  const updated = turn.agents.update(agentId, { name, code, rolling_rates: rates && JSON.stringify(rates.rolling), losing_rate: rates?.losing }, turn.now);
  const [before, after] = [agentViewOf(row), agentViewOf(updated)];
  turn.emit({ type: AGENT_EVENTS.updated, payload: { agentId, name: after.name, code: after.code, rates: after.rates } });
  audited(turn, by, { action: "agent.update", target: `agent:${agentId}`, before, after });
  return ok(after);
};

/** New rates sit between the parent's and every child's. */
function ratesRefusal(turn: AgentTurn, row: AgentRow, rates: Rates): Outcome<never> | null {
  const parent = row.parent_id === null ? null : turn.agents.find(row.parent_id);
  const above = parent && ratesWithin(rates, ratesOf(parent));
  if (above) return fail("rate_above_parent", `${above}; an agent's rates are at most its parent's`);
  for (const child of turn.agents.children(row.id)) {
    const below = ratesWithin(ratesOf(child), rates);
    if (below) return fail("rate_below_child", `sub-agent ${child.login_name}: ${below}; lower the sub-agent's rates first`);
  }
  return null;
}

export const moveAgent: Handler<AgentBody<"moveAgent">> = ({ agentId, parentId, by }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row) return agentNotFound(agentId);
  const parent = parentId === null ? null : turn.agents.find(parentId);
  if (parentId !== null && !parent) return agentNotFound(parentId);
  if (parent && AgentStore.within(parent, agentId)) return fail("invalid_state", "an agent cannot move below itself or its own sub-agents");
  const maxDepth = turn.settings.agent.maxDepth;
  const deepest = (parent?.level ?? 0) + turn.agents.height(row);
  if (deepest > maxDepth)
    return fail("depth_exceeded", `the move would make the tree ${deepest} levels deep; this brand allows ${maxDepth}`, { setting: "agent.maxDepth", limit: maxDepth });
  const above = parent && ratesWithin(ratesOf(row), ratesOf(parent));
  if (above) return fail("rate_above_parent", `${above}; lower the agent's rates before the move`);
  const moved = turn.agents.move(row, parent, turn.now);
  const [before, after] = [agentViewOf(row), agentViewOf(moved)];
  turn.emit({ type: AGENT_EVENTS.moved, payload: { agentId, from: row.parent_id, to: moved.parent_id, level: moved.level } });
  audited(turn, by, {
    action: "agent.move",
    target: `agent:${agentId}`,
    before: { parentId: before.parentId, level: before.level },
    after: { parentId: after.parentId, level: after.level },
  });
  return ok(after);
};

export const suspendAgent: Handler<AgentBody<"suspendAgent">> = ({ agentId, reason, by }, turn) => setStatus(turn, agentId, "suspended", reason, by);
export const reinstateAgent: Handler<AgentBody<"reinstateAgent">> = ({ agentId, by }, turn) => setStatus(turn, agentId, "active", null, by);

/** A suspended agent's sessions end at once; its sub-agents and players are untouched. */
function setStatus(turn: AgentTurn, agentId: string, status: "active" | "suspended", reason: string | null, by: ActingStaff): Outcome {
  const row = turn.agents.find(agentId);
  if (!row) return agentNotFound(agentId);
  const updated = turn.agents.update(agentId, { status, status_reason: reason }, turn.now);
  if (status === "suspended") revokeSessions(turn, agentId);
  const type = status === "suspended" ? AGENT_EVENTS.suspended : AGENT_EVENTS.reinstated;
  turn.emit({ type, payload: { agentId, reason } });
  const action = status === "suspended" ? "agent.suspend" : "agent.reinstate";
  audited(turn, by, { action, target: `agent:${agentId}`, before: { status: row.status, reason: row.status_reason }, after: { status, reason } });
  return ok(agentViewOf(updated));
}

/** Staff set a new password: every session ends (a sign-in lock is the credentials throttle's, which the edge lifts). */
export const resetAgentPassword: Handler<AgentBody<"resetAgentPassword">> = ({ agentId, passwordHash, by }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row) return agentNotFound(agentId);
  const passwordVersion = row.password_version + 1;
  turn.agents.update(agentId, { password_hash: passwordHash, password_version: passwordVersion }, turn.now);
  revokeSessions(turn, agentId);
  turn.emit({ type: AGENT_EVENTS.passwordChanged, payload: { agentId, by: by.staffId ?? by.username } });
  audited(turn, by, { action: "agent.reset_password", target: `agent:${agentId}`, before: { passwordVersion: row.password_version }, after: { passwordVersion } });
  return ok({ loginName: row.login_name, passwordVersion });
};

export function audited(turn: AgentTurn, by: ActingStaff, entry: Omit<AuditEntry, "brand">): void {
  const { type, payload } = auditEvent(by, { ...entry, brand: turn.brand });
  turn.emit({ type, payload });
}

function freeCode(agents: AgentStore): string {
  for (;;) {
    // ten characters: never one of the player domain's eight-character referral codes
    const code = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[b % 32]).join("");
    if (!agents.byCode(code)) return code;
  }
}

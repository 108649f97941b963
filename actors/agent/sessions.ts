import { fail, ok } from "../runtime/errors.ts";
import { agentViewOf } from "./agent-store.ts";
import { AGENT_EVENTS } from "./events.ts";
import type { AgentBody } from "./messages.ts";
import type { AgentTurn, Handler } from "./turn.ts";

/**
 * Agents' sign-in decisions and sessions. Passwords are verified by the caller in the node's
 * hashing line (auth-flow.ts), never in a turn; the actor compares password versions, checks
 * the agent's status and keeps one session per log-in, named by the access token's jti, so a
 * logout, a suspension or a password change ends it on the next request.
 */

const sessionEnded = () => fail("invalid_token", "this session has ended; log in again");

export function revokeSessions(turn: AgentTurn, agentId: string, keep?: string) {
  turn.sqlite.query("update agent_sessions set revoked_at = ? where agent_id = ? and revoked_at is null and id <> ?").run(turn.now, agentId, keep ?? "");
}

export const loginChallenge: Handler<AgentBody<"loginChallenge">> = ({ loginName }, turn) => {
  const row = turn.agents.byLoginName(loginName);
  return ok(row ? { agentId: row.id, passwordHash: row.password_hash, passwordVersion: row.password_version } : null);
};

/** Once the password checked out against `passwordVersion`: checked again here, as the agent may have changed meanwhile. */
export const loginResult: Handler<AgentBody<"loginResult">> = ({ agentId, passwordVersion, sessionId, expiresAt }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row || row.password_version !== passwordVersion) return fail("invalid_credentials", "wrong login name or password");
  if (row.status !== "active") return fail("account_suspended", "this agent account is suspended; contact the operator");
  turn.sqlite.query("insert into agent_sessions (id, agent_id, created_at, expires_at) values (?, ?, ?, ?)").run(sessionId, agentId, turn.now, expiresAt);
  turn.emit({ type: AGENT_EVENTS.loggedIn, payload: { agentId, sessionId } });
  return ok(agentViewOf(row));
};

export const sessionCheck: Handler<AgentBody<"sessionCheck">> = ({ agentId, jti }, turn) => {
  const session = turn.sqlite
    .query<{ expires_at: number; revoked_at: number | null }, [string, string]>("select expires_at, revoked_at from agent_sessions where id = ? and agent_id = ?")
    .get(jti, agentId);
  if (!session || session.revoked_at !== null || session.expires_at <= turn.now) return sessionEnded();
  const row = turn.agents.find(agentId);
  if (!row) return sessionEnded();
  if (row.status !== "active") return fail("account_suspended", "this agent account is suspended; contact the operator");
  return ok(agentViewOf(row));
};

export const logout: Handler<AgentBody<"logout">> = ({ agentId, jti }, turn) => {
  const done = turn.sqlite.query("update agent_sessions set revoked_at = ? where id = ? and agent_id = ? and revoked_at is null").run(turn.now, jti, agentId);
  return ok({ loggedOut: done.changes > 0 });
};

export const credentials: Handler<AgentBody<"credentials">> = ({ agentId }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row) return fail("agent_not_found", `no agent ${agentId}`);
  return ok({ loginName: row.login_name, passwordHash: row.password_hash, passwordVersion: row.password_version });
};

/** The agent's own change (the current password verified by the caller): its other sessions end. */
export const changePassword: Handler<AgentBody<"changePassword">> = ({ agentId, passwordVersion, passwordHash, keepJti }, turn) => {
  const row = turn.agents.find(agentId);
  if (!row) return fail("agent_not_found", `no agent ${agentId}`);
  if (row.password_version !== passwordVersion) return fail("invalid_credentials", "the password changed meanwhile; try again with the current one");
  const next = passwordVersion + 1;
  turn.agents.update(agentId, { password_hash: passwordHash, password_version: next }, turn.now);
  revokeSessions(turn, agentId, keepJti);
  turn.emit({ type: AGENT_EVENTS.passwordChanged, payload: { agentId, by: agentId } });
  return ok({ passwordVersion: next });
};

import { agentRealm, type ClientRef, type Credentials } from "../credentials/index.ts";
import type { Client } from "../runtime/client.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { loginNameSchema } from "./fields.ts";
import type { AgentProtocol, AgentView } from "./messages.ts";

/**
 * The caller's half of an agent's sign-in and password change, run on the edge's event loop,
 * never in a turn (an argon2id verify costs tens of milliseconds; `agent@brand` is one mailbox
 * per brand): the stored hash is read from the actor, verified in the node's hashing line by
 * the credentials module (whose throttle counts wrong passwords in the agent realm, as for
 * players and staff), and the verdict told to the actor, which re-checks status and version.
 */

export type Agents = Client<AgentProtocol>;
export type AgentAuth = { agents: Agents; credentials: Credentials; brand: string };
/** Signs an agent's access token (the edge's signer); its jti names the session. */
export type AgentAccessIssuer = (agentId: string) => Promise<{ token: string; jti: string; expiresAt: number }>;
export type AgentSignedIn = { agent: AgentView; accessToken: string; expiresAt: number; deviceToken: string | null };

export type AgentLogIn = {
  loginName: string;
  password: string;
  client: ClientRef;
  /** whether the brand's allow-list lets the agent act here (asked once the password is right) */
  allowed(agentId: string): boolean;
};

export async function logInAgent(auth: AgentAuth, input: AgentLogIn, issue: AgentAccessIssuer): Promise<Outcome<AgentSignedIn>> {
  const name = loginNameSchema.safeParse(input.loginName);
  if (!name.success) return fail("validation_failed", `loginName: ${name.error.issues[0]!.message}`);
  const loginName = name.data;
  const account = { realm: agentRealm(auth.brand), username: loginName };
  const checked = await auth.credentials.check({ account, client: input.client, password: input.password, purpose: "sign-in" }, () => auth.agents.loginChallenge({ loginName }));
  if (!checked.ok) return checked;
  const { agentId, passwordVersion } = checked.value.stored;
  if (!input.allowed(agentId)) return fail("forbidden", "this agent may not act in this brand");
  const access = await issue(agentId);
  const opened = await auth.agents.loginResult({ agentId, passwordVersion, sessionId: access.jti, expiresAt: access.expiresAt }, { id: `login:${access.jti}` });
  if (!opened.ok) return opened;
  return ok({ agent: opened.value, accessToken: access.token, expiresAt: access.expiresAt, deviceToken: checked.value.deviceToken });
}

/** The agent's own password change: the current one confirmed (a wrong one counts toward the lock), the new one hashed; this session stays. */
export async function changeAgentPassword(
  auth: AgentAuth,
  agent: { id: string; jti: string },
  change: { currentPassword: string; newPassword: string },
  client: ClientRef,
): Promise<Outcome<{ passwordVersion: number }>> {
  const stored = await auth.agents.credentials({ agentId: agent.id });
  if (!stored.ok) return stored;
  const account = { realm: agentRealm(auth.brand), username: stored.value.loginName };
  const checked = await auth.credentials.check({ account, client, password: change.currentPassword, purpose: "confirm" }, async () => stored);
  if (!checked.ok) return checked;
  const hashed = await auth.credentials.hash(change.newPassword);
  if (!hashed.ok) return hashed;
  return auth.agents.changePassword({ agentId: agent.id, passwordVersion: checked.value.stored.passwordVersion, passwordHash: hashed.value, keepJti: agent.jti });
}

import { z } from "zod";
import { actingStaffSchema } from "../identity/index.ts";
import type { Protocol } from "../runtime/actor.ts";
import { pageOf, pageQuerySchema } from "../runtime/fields.ts";
import { settlementLinePage, settlementPage, settlementView } from "../settlement/index.ts";
import {
  agentCodeSchema,
  agentIdSchema,
  agentNameSchema,
  agentStatusSchema,
  DAYS_IN_ORDER,
  daySchema,
  daysInOrder,
  jtiSchema,
  loginNameSchema,
  passwordHashSchema,
  playerIdSchema,
  playerUsernameSchema,
  ratesSchema,
  reasonSchema,
  searchSchema,
} from "./fields.ts";

/**
 * What `agent@brand` takes and answers. Passwords never travel here: callers send argon2id
 * hashes (auth-flow.ts). Staff commands carry `by` and are audited in the actor's commit; an
 * agent's own commands name the agent (`asAgent`), whose subtree bounds what it may touch.
 */

const by = actingStaffSchema;
const agentRef = z.object({ agentId: agentIdSchema });

export const agentView = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    level: z.number().int().describe("1 is the top of the tree (a head office)"),
    loginName: z.string(),
    name: z.string(),
    code: z.string().describe("the code players sign up with"),
    status: agentStatusSchema,
    statusReason: z.string().nullable(),
    rates: ratesSchema,
    createdAt: z.number(),
  })
  .meta({ id: "Agent" });
export type AgentView = z.infer<typeof agentView>;

export const downlinePlayer = z
  .object({
    playerId: z.string(),
    username: z.string(),
    nickname: z.string(),
    agentId: z.string().describe("the agent the player signed up with"),
    cash: z.string().describe("the cash balance the wallet last reported, minor units"),
    linkedAt: z.number(),
  })
  .meta({ id: "DownlinePlayer" });

const totals = { deposits: z.string(), withdrawals: z.string(), bets: z.string(), wins: z.string(), netLoss: z.string().describe("bets - wins") };
export const activityTotals = z.object(totals).meta({ id: "AgentActivityTotals" });
export const activityReport = z
  .object({
    from: z.string(),
    to: z.string(),
    total: activityTotals.describe("the whole subtree"),
    ownPlayers: activityTotals.describe("the agent's own players"),
    children: z.array(z.object({ agentId: z.string(), loginName: z.string(), ...totals })).describe("each direct sub-agent's subtree"),
  })
  .meta({ id: "AgentActivity" });
export const playerDay = z.object({ playerId: z.string(), username: z.string(), agentId: z.string(), day: z.string(), ...totals }).meta({ id: "AgentPlayerDay" });

const newAgent = {
  loginName: loginNameSchema,
  name: agentNameSchema,
  passwordHash: passwordHashSchema,
  code: agentCodeSchema.optional().describe("made up when not given"),
  rates: ratesSchema.default({ rolling: {}, losing: 0 }),
};
const period = z.object({ from: daySchema, to: daySchema });
const subtree = { within: agentIdSchema.optional().describe("only this agent's subtree (an agent's own view)") };

export const agentProtocol = {
  // the tree: staff
  createAgent: { body: z.object({ ...newAgent, parentId: agentIdSchema.nullable().default(null), by }), reply: agentView },
  updateAgent: {
    body: z.object({ agentId: agentIdSchema, name: agentNameSchema.optional(), code: agentCodeSchema.optional(), rates: ratesSchema.optional(), by }),
    reply: agentView,
  },
  moveAgent: { body: z.object({ agentId: agentIdSchema, parentId: agentIdSchema.nullable(), by }), reply: agentView },
  suspendAgent: { body: z.object({ agentId: agentIdSchema, reason: reasonSchema, by }), reply: agentView },
  reinstateAgent: { body: z.object({ agentId: agentIdSchema, by }), reply: agentView },
  resetAgentPassword: { body: z.object({ agentId: agentIdSchema, passwordHash: passwordHashSchema, by }), reply: z.object({ loginName: z.string(), passwordVersion: z.number() }) },
  // the tree: an agent below itself
  createSubAgent: { body: z.object({ ...newAgent, asAgent: agentIdSchema, parentId: agentIdSchema.optional().describe("the creating agent by default") }), reply: agentView },
  // sign-in (hashes verified by the caller)
  loginChallenge: { body: z.object({ loginName: loginNameSchema }), reply: z.object({ agentId: z.string(), passwordHash: z.string(), passwordVersion: z.number() }).nullable() },
  loginResult: { body: z.object({ agentId: agentIdSchema, passwordVersion: z.number().int(), sessionId: jtiSchema, expiresAt: z.number().int() }), reply: agentView },
  sessionCheck: { body: z.object({ agentId: agentIdSchema, jti: jtiSchema }), reply: agentView },
  logout: { body: z.object({ agentId: agentIdSchema, jti: jtiSchema }), reply: z.object({ loggedOut: z.boolean() }) },
  credentials: { body: agentRef, reply: z.object({ loginName: z.string(), passwordHash: z.string(), passwordVersion: z.number() }) },
  changePassword: {
    body: z.object({ agentId: agentIdSchema, passwordVersion: z.number().int(), passwordHash: passwordHashSchema, keepJti: jtiSchema }),
    reply: z.object({ passwordVersion: z.number() }),
  },
  // reads
  agent: { body: z.object({ agentId: agentIdSchema, ...subtree }), reply: agentView },
  listAgents: {
    body: pageQuerySchema.extend({
      parentId: agentIdSchema.optional().describe("direct children of this agent; the top agents when absent"),
      ...subtree,
      search: searchSchema.optional(),
    }),
    reply: pageOf(agentView),
  },
  downlinePlayers: {
    body: pageQuerySchema.extend({ within: agentIdSchema, agentId: agentIdSchema.optional().describe("only this agent's own players"), search: searchSchema.optional() }),
    reply: pageOf(downlinePlayer),
  },
  /** a player of the agent's own (signed up with its code), for money between them */
  ownPlayer: { body: z.object({ agentId: agentIdSchema, playerId: playerIdSchema.optional(), username: playerUsernameSchema.optional() }), reply: downlinePlayer },
  activity: { body: period.extend({ within: agentIdSchema }).refine(daysInOrder, DAYS_IN_ORDER), reply: activityReport },
  activityByPlayer: {
    body: pageQuerySchema.extend({ within: agentIdSchema, from: daySchema, to: daySchema, username: playerUsernameSchema.optional() }).refine(daysInOrder, DAYS_IN_ORDER),
    reply: pageOf(playerDay),
  },
  settlements: { body: pageQuerySchema.extend({ status: settlementView.shape.status.optional() }), reply: settlementPage },
  settlementLines: {
    body: pageQuerySchema.extend({ settlementId: z.string().max(100).optional(), agentId: agentIdSchema.optional(), from: daySchema.optional(), to: daySchema.optional() }),
    reply: settlementLinePage,
  },
  // commission settlements: staff
  runSettlement: { body: z.object({ day: daySchema.describe("a day of the period to settle; it must have ended"), by }), reply: settlementView },
  requeueSettlement: { body: z.object({ settlementId: z.string().max(100), by }), reply: settlementView },
} satisfies Protocol;

export type AgentProtocol = typeof agentProtocol;
export type AgentMessageType = keyof AgentProtocol;
export type AgentBody<K extends AgentMessageType> = z.output<AgentProtocol[K]["body"]>;

/** Reads: answered outside the journal. */
export const AGENT_QUERIES: ReadonlySet<string> = new Set<AgentMessageType>([
  "loginChallenge",
  "sessionCheck",
  "credentials",
  "agent",
  "listAgents",
  "downlinePlayers",
  "ownPlayer",
  "activity",
  "activityByPlayer",
  "settlements",
  "settlementLines",
]);

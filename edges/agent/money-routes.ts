import { Hono } from "hono";
import { z } from "zod";
import { agentFields as f } from "../../actors/agent/index.ts";
import { moneyInput, pageQuerySchema } from "../../actors/runtime/fields.ts";
import { walletProtocol } from "../../actors/wallet/index.ts";
import type { EdgeContext } from "../shared/edge-context.ts";
import { idempotencyKeyHeader, idempotentId } from "../shared/idempotency-key.ts";
import { describeWith, validated } from "../shared/index.ts";
import { type AgentEnv, requireAgent, valueOf } from "./agent-access.ts";

/**
 * `/api/v1/wallet/*`, `/transfers`, `/withdrawals`: an agent's own money, all of it through
 * `wallet@brand`. A transfer moves cash between the agent and one of its own players (one who
 * signed up with its code), each way only where the brand allows it; a withdrawal holds the
 * amount at once until staff pay it out or return it.
 */

const idempotencyHeader = idempotencyKeyHeader("a retry with the same key is the same request");
export const transferBody = z
  .object({
    playerId: f.playerIdSchema.optional(),
    username: f.playerUsernameSchema.optional(),
    direction: z.enum(["to_player", "from_player"]).describe("to_player gives the agent's cash to the player; from_player takes the player's cash back"),
    amount: moneyInput(),
  })
  .refine((b) => (b.playerId === undefined) !== (b.username === undefined), { message: "name the player by playerId or by username", path: ["playerId"] });
const withdrawalBody = z.object({ amount: moneyInput() });

const reply = walletProtocol;
const describeMoney = describeWith({
  tags: ["money"],
  errors: ["unauthorized", "invalid_token", "token_expired", "forbidden", "account_suspended", "brand_mismatch", "validation_failed"],
});

export function moneyRoutes(ctx: EdgeContext) {
  const wallet = (c: { var: AgentEnv["Variables"] }) => ctx.clients.wallet(c.var.brand.id);
  return new Hono<AgentEnv>()
    .use("/wallet/*", requireAgent(ctx))
    .use("/transfers", requireAgent(ctx))
    .use("/withdrawals", requireAgent(ctx))
    .get(
      "/wallet/transactions",
      describeMoney({ summary: "My statement, newest first", responses: { 200: reply.transactions.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await wallet(c).transactions({ owner: { kind: "agent", id: c.var.agent.id }, account: "cash", ...c.req.valid("query") }))),
    )
    .post(
      "/transfers",
      describeMoney({
        summary: "Give cash to one of my players, or take it back",
        responses: { 201: reply.transfer.reply },
        headers: idempotencyHeader,
        errors: ["player_not_found", "transfer_not_allowed", "rolling_open", "unavailable", "insufficient_funds", "duplicate_request", "amount_out_of_range"],
      }),
      validated(transferBody, "json"),
      async (c) => {
        const { playerId, username, direction, amount } = c.req.valid("json");
        const agent = c.var.agent;
        // only the agent's own players: another agent's (a sibling's too) reads as unknown
        const player = valueOf(await ctx.clients.agent(c.var.brand.id).ownPlayer({ agentId: agent.id, playerId, username }));
        const transferId = idempotentId(`agent:${agent.id}`, c.req.header("idempotency-key"));
        const moved = valueOf(
          await wallet(c).transfer({ transferId, agent: agent.id, player: player.playerId, direction: direction === "to_player" ? "agent_to_player" : "player_to_agent", amount }),
        );
        return c.json(moved, 201);
      },
    )
    .post(
      "/withdrawals",
      describeMoney({
        summary: "Ask to withdraw my cash",
        description: "The amount is held at once; staff pay it out or return it.",
        responses: { 201: reply.agentWithdrawalRequest.reply },
        headers: idempotencyHeader,
        errors: ["insufficient_funds", "duplicate_request"],
      }),
      validated(withdrawalBody, "json"),
      async (c) => {
        const requestId = idempotentId(`agent:${c.var.agent.id}`, c.req.header("idempotency-key"));
        return c.json(valueOf(await wallet(c).agentWithdrawalRequest({ requestId, agent: c.var.agent.id, amount: c.req.valid("json").amount })), 201);
      },
    )
    .get(
      "/withdrawals",
      describeMoney({ summary: "My withdrawal requests, newest first", responses: { 200: reply.agentRequests.reply } }),
      validated(pageQuerySchema, "query"),
      async (c) => c.json(valueOf(await wallet(c).agentRequests({ agent: c.var.agent.id, ...c.req.valid("query") }))),
    );
}

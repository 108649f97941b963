import type { LegacyRoute } from "../../shared/legacy/index.ts";

/**
 * The legacy agent dialect as data (../shared/contracts/legacy-agent.md): the old agent
 * portal's root paths, each translated to its agent `/api/v1` twin and back by the shared
 * translator (edges/shared/legacy), in the same envelope as the legacy player dialect.
 * Days (`from`, `to`) are the brand's local days.
 */

const int = (from: string) => ({ from, as: "int" as const });

const agentOf = { idx: "agent.id", agent_id: "agent.loginName", name: "agent.name", level: "agent.level" };
const transfer = { idx: "transactionId", money: int("amount"), agent_money: int("agentCash"), user_money: int("playerCash") };

export const AGENT_LEGACY_ROUTES: LegacyRoute[] = [
  {
    method: "POST",
    path: "/agent/login",
    twin: "POST /auth/login",
    fields: { agent_id: "loginName", agent_pw: "password" },
    reply: { data: { token: "accessToken", agent: agentOf } },
  },
  {
    method: "GET",
    path: "/agent/info",
    twin: "GET /me",
    reply: {
      data: {
        ...agentOf,
        code: "agent.code",
        status: "agent.status",
        parent_idx: "agent.parentId",
        rolling: "agent.rates.rolling",
        losing: "agent.rates.losing",
        money: int("balance.cash"),
        locked: int("balance.locked"),
      },
    },
  },
  {
    method: "GET",
    path: "/agent/member/list",
    twin: "GET /downline/players",
    fields: { limit: "limit", keyword: "search" },
    pageField: "page",
    reply: { list: "items", each: { idx: "playerId", user_id: "username", nick: "nickname", agent_idx: "agentId", money: int("cash"), regdate: "linkedAt" } },
  },
  {
    method: "GET",
    path: "/agent/child/list",
    twin: "GET /downline/agents",
    wholeList: true,
    reply: { list: "items", each: { idx: "id", agent_id: "loginName", name: "name", level: "level", code: "code", status: "status", regdate: "createdAt" } },
  },
  {
    method: "GET",
    path: "/agent/money/history",
    twin: "GET /wallet/transactions",
    fields: { limit: "limit" },
    pageField: "page",
    reply: { list: "items", each: { idx: "transactionId", type: "kind", money: int("amount"), balance: int("balanceAfter"), regdate: "at" } },
  },
  {
    method: "GET",
    path: "/agent/calc/list",
    twin: "GET /commissions",
    fields: { from: "from", to: "to" },
    wholeList: true,
    reply: { list: "items", each: { idx: "lineId", period: "period", type: "kind", money: int("amount"), status: "status", regdate: "requestedAt" } },
  },
  {
    method: "POST",
    path: "/agent/give",
    twin: "POST /transfers",
    fields: { user_id: "username", money: { money: "amount" } },
    fixed: { direction: "to_player" },
    reply: { data: transfer },
  },
  {
    method: "POST",
    path: "/agent/take",
    twin: "POST /transfers",
    fields: { user_id: "username", money: { money: "amount" } },
    fixed: { direction: "from_player" },
    reply: { data: transfer },
  },
  {
    method: "POST",
    path: "/agent/exchange",
    twin: "POST /withdrawals",
    fields: { money: { money: "amount" } },
    reply: { data: { idx: "requestId", money: int("amount"), status: "status" } },
  },
  {
    method: "GET",
    path: "/agent/exchange/list",
    twin: "GET /withdrawals",
    wholeList: true,
    reply: { list: "items", each: { idx: "requestId", money: int("amount"), status: "status", regdate: "at" } },
  },
  {
    method: "GET",
    path: "/agent/bet/list",
    twin: "GET /activity/players",
    fields: { from: "from", to: "to", user_id: "username" },
    // the old portal shows the period's rows at once
    wholeList: true,
    reply: {
      list: "items",
      each: { user_id: "username", date: "day", bet: int("bets"), win: int("wins"), deposit: int("deposits"), withdraw: int("withdrawals"), loss: int("netLoss") },
    },
  },
];

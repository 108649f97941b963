import type { LegacyRoute } from "../../shared/legacy/index.ts";

/**
 * The legacy player dialect as data (../shared/contracts/legacy-player.md): each row names a
 * legacy route, its `/api/v1` twin, how the legacy fields become the twin's fields, and how
 * the twin's reply becomes `data`. One generic translator (edges/shared/legacy) runs every
 * row, so a legacy route is added by adding a row.
 */

const int = (from: string) => ({ from, as: "int" as const });
const flag = (from: string) => ({ from, as: "flag" as const });

const userOf = { idx: "player.id", user_id: "player.username", nick: "player.nickname" };
const cashierRequest = { idx: "requestId", money: int("amount"), status: "status" };
const cashierRequestLine = { ...cashierRequest, regdate: "at" };

export const LEGACY_ROUTES: LegacyRoute[] = [
  {
    method: "POST",
    path: "/login",
    twin: "POST /auth/login",
    fields: { user_id: "username", user_pw: "password" },
    reply: { data: { token: "accessToken", refresh_token: "refreshToken", user: userOf } },
  },
  {
    method: "POST",
    path: "/join",
    twin: "POST /auth/register",
    fields: {
      user_id: "username",
      user_pw: "password",
      nick: "nickname",
      phone: "phone",
      bank_name: "bank.name",
      bank_num: "bank.account",
      bank_owner: "bank.holder",
      code: "code",
    },
    reply: { data: userOf },
  },
  {
    method: "GET",
    path: "/user/info",
    twin: "GET /me",
    // `rolling`: what the player must still wager before a withdrawal (0 when nothing is open)
    also: { rolling: "GET /rolling?status=open&limit=1" },
    reply: {
      data: { user_id: "player.username", nick: "player.nickname", money: int("balance.cash"), point: int("balance.bonus"), rolling: int("rolling.summary.remaining") },
    },
  },
  {
    method: "GET",
    path: "/money/history",
    twin: "GET /wallet/transactions",
    fields: { limit: "limit" },
    pageField: "page",
    reply: {
      list: "items",
      each: { idx: "transactionId", type: "kind", money: int("amount"), balance: int("balanceAfter"), game: "gameCode", regdate: "at" },
    },
  },
  { method: "POST", path: "/charge", twin: "POST /wallet/deposits", fields: { money: { money: "amount" }, in_name: "depositorName" }, reply: { data: cashierRequest } },
  { method: "GET", path: "/charge/list", twin: "GET /wallet/deposits", reply: { list: "items", each: cashierRequestLine } },
  { method: "POST", path: "/exchange", twin: "POST /wallet/withdrawals", fields: { money: { money: "amount" } }, reply: { data: cashierRequest } },
  { method: "GET", path: "/exchange/list", twin: "GET /wallet/withdrawals", reply: { list: "items", each: cashierRequestLine } },
  {
    method: "GET",
    path: "/notice/list",
    twin: "GET /notices",
    reply: { list: "items", each: { idx: "id", title: "title", content: "body", regdate: "createdAt" } },
  },
  {
    method: "GET",
    path: "/memo/list",
    twin: "GET /messages",
    fields: { limit: "limit" },
    pageField: "page",
    reply: {
      list: "items",
      each: { idx: "id", title: "title", content: "body", read: flag("readAt"), regdate: "createdAt" },
      extra: { total: "total", unread: "unread" },
    },
  },
  { method: "POST", path: "/memo/read", twin: "POST /messages/:id/read", fields: { idx: "id" }, reply: { data: { idx: "id", read: flag("readAt") } } },
  {
    method: "GET",
    path: "/game/list",
    twin: "GET /games",
    fields: { vendor: "provider" },
    // the old client shows every game at once
    wholeList: true,
    // the legacy client starts a game by `game_id` alone, so it carries the provider too
    reply: { list: "items", each: { game_id: { join: ["provider", "code"] }, vendor: "provider", name: "name", type: "category" } },
  },
  {
    method: "POST",
    path: "/game/start",
    twin: "POST /games/launch",
    fields: { game_id: { split: "/", into: ["provider", "game"] } },
    reply: { data: { url: "url", token: "token" } },
  },
];

/** "POST /login" → its row; the error wrapper uses it to answer legacy paths in the legacy envelope. */
export const LEGACY_BY_ROUTE = new Map(LEGACY_ROUTES.map((r) => [`${r.method} ${r.path}`, r]));

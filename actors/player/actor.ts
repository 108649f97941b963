import type { ShardPool } from "../../shards/index.ts";
import { answeringQueries, journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import type { ActorKind, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import type { Outcome } from "../runtime/errors.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { shardOutboxName } from "../runtime/outbox-shard.ts";
import { changePassword, credentials, loginChallenge, loginResult, register, resetPassword } from "./auth.ts";
import { deleteContent, getSiteSettings, listContent, putContent, putSiteSettings } from "./content.ts";
import { getMessage, listMessages, readMessage, sendMessage } from "./inbox.ts";
import { createInquiry, getInquiry, listInquiries, replyInquiry, unreadCounts } from "./inquiries.ts";
import { PLAYER_QUERIES, type PlayerMessageType, playerProtocol } from "./messages.ts";
import { changeBank, listPlayers, profile, reinstate, suspend, updateProfile } from "./profile.ts";
import { logout, refresh, sessionCheck } from "./sessions.ts";
import type { Handler, PlayerTurn } from "./turn.ts";

const HANDLERS: Record<PlayerMessageType, Handler> = {
  register,
  loginChallenge,
  loginResult,
  refresh,
  logout,
  sessionCheck,
  credentials,
  changePassword,
  suspend,
  reinstate,
  resetPassword,
  listPlayers,
  profile,
  updateProfile,
  changeBank,
  sendMessage,
  listMessages,
  getMessage,
  readMessage,
  unreadCounts,
  createInquiry,
  listInquiries,
  getInquiry,
  replyInquiry,
  listContent,
  putContent,
  deleteContent,
  siteSettings: getSiteSettings,
  putSiteSettings,
};

export type PlayerKindOptions = { clock?: () => number };

/**
 * `player@brand`: the brand's players, sessions, inbox and site content in its shard.
 * Commands run through the journaled behavior (one SQLite transaction per batch, outcome and
 * outbox events in the same commit, the relay woken after it); queries read the shard
 * directly and are not journaled.
 */
export function playerKind(ctx: { shards: ShardPool; relay?: Pick<OutboxRelay, "notify"> }, options: PlayerKindOptions = {}): ActorKind {
  const clock = options.clock ?? Date.now;
  return {
    domain: "player",
    scope: "brand",
    messages: schemasOf(playerProtocol),
    maxBatch: 32,
    create: (actor) => {
      const brand = actor.brand!;
      const shard = ctx.shards.acquire(brand);
      const handle = (m: Incoming, t: Pick<ShardTurn, "emit">): Outcome => {
        const turn: PlayerTurn = { db: shard.db, brand, emit: t.emit, now: clock() };
        return HANDLERS[m.type as PlayerMessageType](m.body, turn);
      };
      const commands = journaledBehavior(shard, actor.address, handle, {
        passivate: async () => ctx.shards.release(brand),
        // suspensions reach the wallet and audits reach identity now, not at the relay's next fallback round
        emitted: () => ctx.relay?.notify(shardOutboxName(brand)),
      });
      const query = (m: Incoming) =>
        handle(m, {
          emit: () => {
            throw new Error(`${m.type} is a query and may not emit events`);
          },
        });
      return answeringQueries(commands, { isQuery: (type) => PLAYER_QUERIES.has(type), query });
    },
  };
}

import type { z } from "zod";
import type { ShardPool } from "../../shards/index.ts";
import { journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import { type ActorContext, type ActorKind, type Behavior, type Incoming, schemasOf } from "../runtime/actor.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import { GAME_EVENTS, PROJECTED_EVENTS } from "./events.ts";
import { gameProtocol, playerStatusEvent, providerMoneyEvent } from "./messages.ts";
import type { GameRegistry } from "./registry.ts";
import { RoundBook, type RoundEntryKind } from "./rounds.ts";
import type { SessionTokens } from "./session-token.ts";
import { SessionBook } from "./sessions.ts";

export type GameDeps = { shards: ShardPool; registry: GameRegistry; tokens: SessionTokens };

type LaunchBody = z.infer<typeof gameProtocol.launch.body>;
type Prepared = { session: string; token: string; issuedAt: number; expiresAt: number };

const QUERIES = new Set(["sessions", "rounds", "round"]);
const ENTRY_KIND: Record<string, RoundEntryKind> = {
  [PROJECTED_EVENTS.betSettled]: "bet",
  [PROJECTED_EVENTS.win]: "win",
  [PROJECTED_EVENTS.rollback]: "rollback",
};

/**
 * `game@brand`: the brand's launch sessions and rounds, in its shard. Launches sign their
 * player token before the turn's transaction (signing is async); wallet and player events
 * arrive as messages whose id is the event id, so the journal applies each once.
 */
export function gameKind(deps: GameDeps): ActorKind {
  return {
    domain: "game",
    scope: "brand",
    maxBatch: 100,
    messages: {
      ...schemasOf(gameProtocol),
      ...Object.fromEntries(Object.keys(ENTRY_KIND).map((type) => [type, providerMoneyEvent])),
      [PROJECTED_EVENTS.playerSuspended]: playerStatusEvent,
      [PROJECTED_EVENTS.playerReinstated]: playerStatusEvent,
    },
    create: (actx) => gameBehavior(actx, deps),
  };
}

function gameBehavior(actx: ActorContext, deps: GameDeps): Behavior {
  const brand = actx.brand!;
  const shard = deps.shards.acquire(brand);
  const sessions = new SessionBook(shard.sqlite);
  const rounds = new RoundBook(shard.sqlite);
  let prepared = new Map<string, Prepared>();

  const launch = (m: Incoming, turn: ShardTurn): Outcome => {
    const b = m.body as LaunchBody;
    const refused = launchRefusal(deps.registry, sessions, brand, b);
    if (refused) return refused;
    const p = prepared.get(m.id)!;
    sessions.record({ id: p.session, player: b.player, provider: b.provider, game: b.game, issuedAt: p.issuedAt, expiresAt: p.expiresAt });
    turn.emit({ type: GAME_EVENTS.sessionIssued, payload: { brand, session: p.session, player: b.player, provider: b.provider, game: b.game, expiresAt: p.expiresAt } });
    return ok({ token: p.token, session: p.session, player: b.player, provider: b.provider, game: b.game, expiresAt: p.expiresAt });
  };

  const handle = (m: Incoming, turn: ShardTurn): Outcome => {
    const kind = ENTRY_KIND[m.type];
    if (kind) {
      rounds.apply(m.id, kind, providerMoneyEvent.parse(m.body), turn.now);
      return ok({});
    }
    switch (m.type) {
      case "launch":
        return launch(m, turn);
      case PROJECTED_EVENTS.playerSuspended: {
        const e = playerStatusEvent.parse(m.body);
        return ok({ revoked: sessions.block(e.playerId, e.reason ?? "suspended", turn.now) });
      }
      case PROJECTED_EVENTS.playerReinstated:
        sessions.unblock(playerStatusEvent.parse(m.body).playerId);
        return ok({});
      default:
        return fail("unknown_message", `game does not take ${m.type}`);
    }
  };

  const journaled = journaledBehavior(shard, actx.address, handle, { passivate: async () => deps.shards.release(brand) });

  const query = (m: Incoming): Outcome => {
    const b = m.body as Record<string, any>;
    if (m.type === "sessions") return ok(sessions.list(b as never));
    if (m.type === "rounds") return ok(rounds.list(b as never));
    const round = rounds.detail(b.provider, b.round);
    return round ? ok(round) : fail("not_found", `no round ${b.round} of provider ${b.provider}`);
  };

  return {
    recall: async (ids) => journaled.recall(ids),
    receive: async (batch) => {
      prepared = await prepareLaunches(deps.tokens, brand, batch);
      const outcomes: Outcome[] = [];
      let pending: Incoming[] = [];
      const flush = async () => {
        if (pending.length > 0) outcomes.push(...(await journaled.receive(pending)));
        pending = [];
      };
      for (const m of batch) {
        if (!QUERIES.has(m.type)) pending.push(m);
        else {
          await flush();
          outcomes.push(query(m));
        }
      }
      await flush();
      return outcomes;
    },
    passivate: journaled.passivate,
  };
}

function launchRefusal(registry: GameRegistry, sessions: SessionBook, brand: string, b: LaunchBody): Outcome<never> | undefined {
  if (!registry.provider(b.provider)) return fail("not_found", `no provider ${b.provider}`);
  if (!registry.game(b.provider, b.game)) return fail("not_found", `provider ${b.provider} has no game ${b.game}`);
  if (!registry.gameEnabled(b.provider, b.game, brand)) return fail("forbidden", `${b.provider}/${b.game} is not enabled for brand ${brand}`);
  const blocked = sessions.blockedReason(b.player);
  if (blocked !== undefined) return fail("forbidden", `player ${b.player} is suspended (${blocked}) and may not start games`);
  return undefined;
}

/** Sign the token of every launch in the batch; a refused launch's token is never handed out. */
async function prepareLaunches(tokens: SessionTokens, brand: string, batch: Incoming[]): Promise<Map<string, Prepared>> {
  const out = new Map<string, Prepared>();
  for (const m of batch) {
    if (m.type !== "launch") continue;
    const b = m.body as LaunchBody;
    const issuedAt = Date.now();
    const expiresAt = Math.floor((issuedAt + b.ttlSeconds * 1000) / 1000) * 1000;
    const session = crypto.randomUUID();
    const token = await tokens.issue({ brand, player: b.player, provider: b.provider, game: b.game, session, expiresAt }, issuedAt);
    out.set(m.id, { session, token, issuedAt, expiresAt });
  }
  return out;
}

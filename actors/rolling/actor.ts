import type { ShardPool } from "../../shards/index.ts";
import { answeringQueries, journaledBehavior, type ShardTurn } from "../../shards/journaled-behavior.ts";
import type { ActorKind, Incoming } from "../runtime/actor.ts";
import { schemasOf } from "../runtime/actor.ts";
import { fail, type Outcome, ok } from "../runtime/errors.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { shardOutboxName } from "../runtime/outbox-shard.ts";
import type { RollingEventType } from "./events.ts";
import { type Body, ROLLING_QUERIES, type RollingMessageType, rollingProtocol } from "./messages.ts";
import { payloadOf, type RecordRow, RollingBook, viewOf } from "./records.ts";
import type { TermsSource } from "./terms.ts";
import { cancel, countBet, credit, playerCancel, type RollingTurn, reportProgress, reverseBet, sweep } from "./wagering.ts";

export const ROLLING_DOMAIN = "rolling";
/** the events one turn takes, and the feed reads at once: fewer, larger shard commits */
export const ROLLING_BATCH = 500;
/** the minute's timer: records past their deadline expire, progress not yet reported is */
export const SWEEP_TIMER = "sweep";

export type RollingDeps = { shards: ShardPool; terms: TermsSource; relay?: Pick<OutboxRelay, "notify"> };
export type RollingKindOptions = { clock?: () => number; maxBatch?: number };

type Commands = Exclude<RollingMessageType, "rollings" | "rolling" | "playerRollings">;
type Handlers = { [K in Commands]: (turn: RollingTurn, body: Body<K>) => Outcome } & { timer: (turn: RollingTurn, body: { name: string; firedAt: number }) => Outcome };

const HANDLERS: Handlers = {
  "wallet.deposit_approved": (turn, body) => credit(turn, "deposit", body),
  "wallet.bonus_granted": (turn, body) => credit(turn, "bonus", body),
  "wallet.bet_settled": countBet,
  "wallet.rollback": reverseBet,
  cancel,
  playerCancel,
  timer: (turn, body) => (body.name === SWEEP_TIMER ? sweep(turn, body.firedAt) : ok({})),
};

/** The handler of a command (the kind's schemas admit only these and queries); the body was parsed by its schema. */
function handle(turn: RollingTurn, m: Incoming): Outcome {
  const handler = HANDLERS[m.type as keyof Handlers] as (turn: RollingTurn, body: unknown) => Outcome;
  return handler(turn, m.body);
}

/**
 * `rolling@brand`: the brand's wagering requirements, in its shard. The wallet's events
 * arrive as messages under their event ids (the journal applies each once) and are applied
 * in one SQLite transaction per batch, with the events they cause; a croner timer each
 * minute expires records past their deadline and reports progress that waited. Queries read
 * the shard and are not journaled.
 */
export function rollingKind(deps: RollingDeps, options: RollingKindOptions = {}): ActorKind {
  const clock = options.clock ?? Date.now;
  return {
    domain: ROLLING_DOMAIN,
    scope: "brand",
    messages: schemasOf(rollingProtocol),
    maxBatch: options.maxBatch ?? ROLLING_BATCH,
    timers: [{ name: SWEEP_TIMER, cron: "* * * * *" }],
    create: (actor) => {
      const brand = actor.brand!;
      const shard = deps.shards.acquire(brand);
      const book = new RollingBook(shard.sqlite);
      let touched = new Set<string>();
      const turnOf = (t: Pick<ShardTurn, "emit">): RollingTurn => {
        const now = clock();
        return {
          book,
          terms: deps.terms(brand),
          brand,
          now,
          touched,
          publish: (type: RollingEventType, record: RecordRow, extra = {}) => {
            book.reported(record, now);
            t.emit({ type, payload: { ...payloadOf(record), ...extra } });
          },
          emitAudit: (type, payload) => t.emit({ type, payload }),
        };
      };
      const commands = journaledBehavior(shard, actor.address, (m, t) => handle(turnOf(t), m), {
        passivate: async () => deps.shards.release(brand),
        // the wallet's gate and bonuses follow these events: relay them now, not at the fallback round
        emitted: () => deps.relay?.notify(shardOutboxName(brand)),
        afterBatch: (t) => {
          reportProgress(turnOf(t));
          touched = new Set();
        },
      });
      return answeringQueries(commands, {
        isQuery: (type) => ROLLING_QUERIES.has(type),
        query: (m) => query(book, m),
        // a failed batch may have left records marked touched
        before: () => {
          touched = new Set();
        },
      });
    },
  };
}

function query(book: RollingBook, m: Incoming): Outcome {
  switch (m.type) {
    case "rollings":
      return ok(book.page(m.body as Body<"rollings">));
    case "rolling": {
      const { rollingId } = m.body as Body<"rolling">;
      const record = book.byId(rollingId);
      return record ? ok(viewOf(record)) : fail("not_found", `no rolling ${rollingId}`);
    }
    default: {
      const body = m.body as Body<"playerRollings">;
      return ok({ ...book.page(body), summary: book.summary(body.player) });
    }
  }
}

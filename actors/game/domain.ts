import type { ShardPool } from "../../shards/index.ts";
import type { ActorKind } from "../runtime/actor.ts";
import type { CentralStore } from "../runtime/central-store.ts";
import type { EventBus } from "../runtime/event-bus.ts";
import { applyInActor, type Subscription } from "../runtime/event-bus.ts";
import type { Logger } from "../runtime/log.ts";
import type { Messenger } from "../runtime/messenger.ts";
import type { OutboxRelay } from "../runtime/outbox-relay.ts";
import { gameKind } from "./actor.ts";
import { PROJECTED_EVENT_TYPES } from "./events.ts";
import { GameRegistry } from "./registry.ts";
import { gameRegistryKind } from "./registry-actor.ts";
import { SessionTokens } from "./session-token.ts";

type Needs = {
  config: { secrets: { session: string } };
  log: Logger;
  store: CentralStore;
  shards: ShardPool;
  system: Pick<Messenger, "askOutcome">;
  events?: EventBus;
  /** woken after a registry change wrote its audit to the central outbox */
  relay?: Pick<OutboxRelay, "notify">;
};

/**
 * The game domain of one node: the in-memory registry every callback consults, the
 * session-token signer, the actor kinds, and the event subscription that feeds rounds.
 * Made once per node context; started by the node's services (or by the first request),
 * stopped with them.
 */
export class GameDomain {
  readonly registry: GameRegistry;
  readonly tokens: SessionTokens;
  private started: Promise<void> | undefined;
  private loaded = false;
  private subscription: Subscription | undefined;

  constructor(private ctx: Needs) {
    this.registry = new GameRegistry(ctx.store, ctx.log.child({ domain: "game" }));
    this.tokens = new SessionTokens(ctx.config.secrets.session);
  }

  /** Load the registry and subscribe to the events rounds are built from; once. */
  start(): Promise<void> {
    // a failed start is tried again by the next caller
    this.started ??= this.run().catch((error) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  kinds(): ActorKind[] {
    return [
      gameRegistryKind({ store: this.ctx.store, registry: this.registry, relay: this.ctx.relay }),
      gameKind({ shards: this.ctx.shards, registry: this.registry, tokens: this.tokens }),
    ];
  }

  /** Nothing to wait for once loaded, so the hot path pays nothing. */
  whenReady(): Promise<void> | undefined {
    return this.loaded ? undefined : this.start();
  }

  async stop(): Promise<void> {
    this.registry.stop();
    await this.subscription?.stop();
  }

  private async run(): Promise<void> {
    await this.registry.start();
    if (this.ctx.events && !this.subscription) {
      this.subscription = await this.ctx.events.subscribe("game", { types: PROJECTED_EVENT_TYPES }, applyInActor(this.ctx.system, "game"));
    }
    this.loaded = true;
  }
}

/** What edges read of the game domain: the registry copy, the session-token checker, readiness. */
export type GameView = {
  readonly registry: Pick<
    GameRegistry,
    "provider" | "listProviders" | "providerEnabled" | "game" | "listGames" | "gameEnabled" | "gamesForBrand" | "signatureValid" | "signAsProvider"
  >;
  readonly tokens: Pick<SessionTokens, "check">;
  whenReady(): Promise<void> | undefined;
};

const domains = new WeakMap<object, GameDomain>();

/** The node's game domain, made on first use. */
export function gameDomain(ctx: Needs): GameDomain {
  let domain = domains.get(ctx);
  if (!domain) domains.set(ctx, (domain = new GameDomain(ctx)));
  return domain;
}

/** Start the node's game domain (a node service: stopped with the node). */
export async function startGameDomain(ctx: Needs): Promise<GameDomain> {
  const domain = gameDomain(ctx);
  await domain.start();
  return domain;
}

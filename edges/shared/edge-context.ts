import type { AdminClient, TopInfoHub } from "../../actors/admin/index.ts";
import type { AgentClient } from "../../actors/agent/index.ts";
import type { BrandDirectory, CatalogClient } from "../../actors/catalog/index.ts";
import type { Credentials } from "../../actors/credentials/index.ts";
import type { GameClient, GameEdgeView, GameRegistryClient } from "../../actors/game/index.ts";
import type { IdentityClient, StaffService } from "../../actors/identity/index.ts";
import type { PlayerClient } from "../../actors/player/index.ts";
import type { PromotionClient } from "../../actors/promotion/index.ts";
import type { ReconClient, ReconEdgeView } from "../../actors/recon/index.ts";
import type { RollingClient } from "../../actors/rolling/index.ts";
import type { Logger } from "../../actors/runtime/log.ts";
import type { RuntimeMetrics } from "../../actors/runtime/metrics.ts";
import type { NodeOperations } from "../../actors/runtime/operations.ts";
import type { WalletClient } from "../../actors/wallet/index.ts";
import type { Config } from "../../config/index.ts";
import type { RateLimiter } from "./rate-limit.ts";

/** A typed client per domain actor; brand actors by brand id, global ones without. */
export type DomainClients = {
  wallet(brand: string): WalletClient;
  player(brand: string): PlayerClient;
  game(brand: string): GameClient;
  admin(brand: string): AdminClient;
  recon(brand: string): ReconClient;
  agent(brand: string): AgentClient;
  rolling(brand: string): RollingClient;
  promotion(brand: string): PromotionClient;
  gameRegistry(): GameRegistryClient;
  catalog(): CatalogClient;
  identity(): IdentityClient;
};

/**
 * Everything an edge may use, and nothing more: typed clients to ask and tell actors, the
 * node's settings, log and metrics, and the read views domains own for what must stay off an
 * actor's turn (brand resolution, staff sessions, the game registry, top-info pushes). No
 * store, shard, relay or actor system: an edge changes state only by asking the owning actor.
 */
export type EdgeContext = {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  readonly clients: DomainClients;
  /** the catalog's copy of brands, domains, config and the agent allow-list */
  readonly brands: BrandDirectory;
  /** staff sign-in, sessions and account changes (identity's edge half: argon2 runs here, not in a turn) */
  readonly staff: StaffService;
  /** password hashing in the node's line and the sign-in throttle, one policy for players and staff */
  readonly credentials: Credentials;
  /** request limits of the sign-in routes, shared by every node when the node has REDIS_URL */
  readonly rateLimits: RateLimiter;
  readonly game: GameEdgeView;
  readonly topInfo: Pick<TopInfoHub, "subscribe">;
  /** seals the secrets staff give recon sources; opens a webhook source's to check a call's signature */
  readonly recon: ReconEdgeView;
  /** what operators may do to this node (status, restarts, dead letters) */
  readonly operations: NodeOperations;
  /** false while the node boots or drains: /readyz answers 503 */
  isReady(): boolean;
};

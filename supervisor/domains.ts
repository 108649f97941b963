import { type AdminOptions, adminKinds, adminOptions, startTopInfoFeed, type TopInfoHub, topInfoHub } from "../actors/admin/index.ts";
import { type AgentKindOptions, agentKind, startAgentFeed, startAllowListFeed } from "../actors/agent/index.ts";
import { catalogKind } from "../actors/catalog/index.ts";
import { attemptCounter, type CredentialOverrides, Credentials, credentialOptions } from "../actors/credentials/index.ts";
import { GameDomain } from "../actors/game/index.ts";
import { type IdentityOptions, identityKind, identityOptions, StaffService, staffSessions, startAuditFeed } from "../actors/identity/index.ts";
import { type PlayerKindOptions, playerKind } from "../actors/player/index.ts";
import { type PromotionKindOptions, promotionKind, startPromotionFeed } from "../actors/promotion/index.ts";
import { ReconDomain, type ReconOptions } from "../actors/recon/index.ts";
import { type RollingKindOptions, rollingKind, startRollingFeed, termsFromCatalog } from "../actors/rolling/index.ts";
import type { ActorKind } from "../actors/runtime/actor.ts";
import type { Subscription } from "../actors/runtime/event-bus.ts";
import { startWalletFeed, type WalletKindOptions, walletKind } from "../actors/wallet/index.ts";
import { RateLimiter, type RateLimitRules } from "../edges/shared/rate-limit.ts";
import type { NodeParts } from "./node-parts.ts";

export const DOMAIN_NAMES = ["catalog", "identity", "admin", "player", "wallet", "game", "recon", "agent", "rolling", "promotion"] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

/** Per-domain tunables a node (or a test) may set; the defaults are production's. */
export type DomainOptions = {
  /** argon2id cost and lockout, for players and staff alike (tests lower the cost) */
  credentials?: CredentialOverrides;
  /** the sign-in routes' request limits */
  rateLimits?: Partial<RateLimitRules>;
  identity?: Partial<IdentityOptions>;
  admin?: Partial<AdminOptions>;
  player?: PlayerKindOptions;
  wallet?: WalletKindOptions;
  recon?: ReconOptions;
  agent?: AgentKindOptions;
  rolling?: RollingKindOptions;
  promotion?: PromotionKindOptions;
};

/** What the node tells its domains about placement: the brands it hosts now, and each change. */
export type HostedBrands = {
  hosted(): string[];
  onChange(listener: (brand: string, hosted: boolean) => void | Promise<void>): () => void;
};

/** The domains of one node: their actor kinds, the read views edges get, and their node services. */
export type Domains = {
  kinds: ActorKind[];
  game: GameDomain;
  staff: StaffService;
  credentials: Credentials;
  rateLimits: RateLimiter;
  topInfo: TopInfoHub;
  recon: ReconDomain;
  /** event subscriptions, caches and per-brand services (recon's intake loops follow `brands`), once the actors are hosted */
  start(brands: HostedBrands): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The composition root: each domain made from the node's parts it needs. A new domain adds
 * its kinds here (and its routes in supervisor/routes.ts).
 */
export function composeDomains(parts: NodeParts, run: readonly DomainName[] = DOMAIN_NAMES, options: DomainOptions = {}): Domains {
  // every node runs the catalog: brand resolution and placement follow it
  const runs = (name: DomainName) => name === "catalog" || run.includes(name);
  const identity = identityOptions(options.identity);
  const credentialSettings = credentialOptions(options.credentials);
  // one set of counters (Redis when the node has it) for the sign-in throttle and the request limits
  const attempts = attemptCounter(parts.config, credentialSettings.now);
  const credentials = new Credentials(credentialSettings, attempts);
  const game = new GameDomain(parts);
  const topInfo = topInfoHub(parts.config);
  const recon = new ReconDomain(parts, options.recon);
  const kinds: ActorKind[] = [
    ...(runs("catalog") ? [catalogKind(parts)] : []),
    ...(runs("identity") ? [identityKind(parts.store, identity)] : []),
    ...(runs("admin") ? adminKinds({ ...parts, hub: topInfo }, adminOptions(options.admin)) : []),
    ...(runs("player") ? [playerKind(parts, options.player)] : []),
    ...(runs("wallet") ? [walletKind(parts, options.wallet)] : []),
    ...(runs("game") ? game.kinds() : []),
    ...(runs("recon") ? recon.kinds() : []),
    ...(runs("agent") ? [agentKind(parts, options.agent)] : []),
    ...(runs("rolling") ? [rollingKind({ ...parts, terms: termsFromCatalog(parts.catalog) }, options.rolling)] : []),
    ...(runs("promotion") ? [promotionKind(parts, options.promotion)] : []),
  ];
  const subscriptions: Subscription[] = [];
  let stopFollowing: (() => void) | undefined;
  return {
    kinds,
    game,
    staff: new StaffService({ messenger: parts.system, credentials, sessions: staffSessions(parts.store, identity.now), sessionTtlMs: identity.sessionTtlMs }),
    credentials,
    rateLimits: new RateLimiter(attempts, options.rateLimits),
    topInfo,
    recon,
    async start(brands) {
      if (runs("identity")) subscriptions.push(await startAuditFeed(parts.events, parts.system));
      if (runs("game")) await game.start();
      if (runs("admin")) subscriptions.push(await startTopInfoFeed(parts));
      if (runs("wallet")) subscriptions.push(await startWalletFeed(parts.events, parts.system));
      if (runs("recon")) {
        await recon.start();
        stopFollowing = brands.onChange((brand, hosted) => void recon.brandHosted(brand, hosted));
        for (const brand of brands.hosted()) void recon.brandHosted(brand, true);
      }
      if (runs("agent")) subscriptions.push(await startAgentFeed(parts.events, parts.system), await startAllowListFeed(parts.events, parts.system));
      if (runs("rolling")) subscriptions.push(await startRollingFeed(parts.events, parts.system));
      if (runs("promotion")) subscriptions.push(await startPromotionFeed(parts.events, parts.system));
    },
    async stop() {
      stopFollowing?.();
      await recon.stop();
      for (const s of subscriptions.splice(0).reverse()) await s.stop();
      await game.stop();
      await topInfo.close();
      await attempts.close();
    },
  };
}

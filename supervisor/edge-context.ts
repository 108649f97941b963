import { adminClient } from "../actors/admin/index.ts";
import { agentClient } from "../actors/agent/index.ts";
import { catalogClient } from "../actors/catalog/index.ts";
import { gameClient, gameRegistryClient } from "../actors/game/index.ts";
import { identityClient } from "../actors/identity/index.ts";
import { playerClient } from "../actors/player/index.ts";
import { promotionClient } from "../actors/promotion/index.ts";
import { reconClient, reconEdgeView } from "../actors/recon/index.ts";
import { rollingClient } from "../actors/rolling/index.ts";
import { perBrand } from "../actors/runtime/client.ts";
import type { Messenger } from "../actors/runtime/messenger.ts";
import type { Readiness } from "../actors/runtime/operations.ts";
import { walletClient } from "../actors/wallet/index.ts";
import type { DomainClients, EdgeContext } from "../edges/shared/edge-context.ts";
import type { Domains } from "./domains.ts";
import type { NodeParts } from "./node-parts.ts";
import { nodeOperations } from "./operations.ts";
import type { NodePlacement } from "./placement.ts";
import type { RoundProjectionWatch } from "./projection-check.ts";

/** Typed clients of every domain over one messenger; brand clients are made once per brand. */
export function domainClients(messenger: Messenger): DomainClients {
  const identity = identityClient(messenger);
  const catalog = catalogClient(messenger);
  const registry = gameRegistryClient(messenger);
  return {
    wallet: perBrand((brand) => walletClient(messenger, brand)),
    player: perBrand((brand) => playerClient(messenger, brand)),
    game: perBrand((brand) => gameClient(messenger, brand)),
    admin: perBrand((brand) => adminClient(messenger, brand)),
    recon: perBrand((brand) => reconClient(messenger, brand)),
    agent: perBrand((brand) => agentClient(messenger, brand)),
    rolling: perBrand((brand) => rollingClient(messenger, brand)),
    promotion: perBrand((brand) => promotionClient(messenger, brand)),
    gameRegistry: () => registry,
    catalog: () => catalog,
    identity: () => identity,
  };
}

/** What the node hands its edges: clients and domain-owned read views, never its stores. */
export function edgeContextOf(
  parts: NodeParts,
  domains: Domains,
  probes: { isReady(): boolean; readiness(): Readiness; projection: RoundProjectionWatch; placement: NodePlacement },
): EdgeContext {
  return {
    config: parts.config,
    log: parts.log,
    metrics: parts.metrics,
    clients: domainClients(parts.system),
    brands: parts.catalog,
    staff: domains.staff,
    credentials: domains.credentials,
    rateLimits: domains.rateLimits,
    game: domains.game,
    topInfo: domains.topInfo,
    recon: reconEdgeView(domains.recon),
    operations: nodeOperations(parts.system, parts.store, probes),
    isReady: probes.isReady,
  };
}

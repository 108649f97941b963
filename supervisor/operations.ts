import type { CentralStore } from "../actors/runtime/central-store.ts";
import type { NodeOperations, Readiness } from "../actors/runtime/operations.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";
import type { NodePlacement } from "./placement.ts";
import type { RoundProjectionWatch } from "./projection-check.ts";

/** The operator port of a node, over its actor system, mailbox transport, projection check and placement. */
export function nodeOperations(
  system: ActorSystem,
  store: Pick<CentralStore, "kind">,
  probes: { isReady(): boolean; readiness(): Readiness; projection: RoundProjectionWatch; placement: NodePlacement },
): NodeOperations {
  const transport = system.transport;
  return {
    async status() {
      const actors = await Promise.all(system.status().map(async (a) => ({ ...a, mailbox: await transport.stats(a.address) })));
      return { node: system.nodeId, ready: probes.isReady(), transport: transport.kind, store: store.kind, actors };
    },
    hosted: () => system.hosted(),
    mailboxStats: (address) => transport.stats(address),
    restart: (address) => system.restart(address),
    deadLetters: (address, limit) => transport.deadLetters(address, limit),
    replayDeadLetter: (address, streamId, by) => transport.replayDeadLetter(address, streamId, by),
    readiness: () => probes.readiness(),
    projectionCheck: (brand) => probes.projection.checkNow(brand === undefined ? undefined : [brand]),
    degradation: (domain, brand) => system.degradation(domain, brand),
    placement: () => probes.placement.status(),
    drain: () => probes.placement.drain(),
  };
}

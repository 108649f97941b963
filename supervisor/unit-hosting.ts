import { parseAddress } from "../actors/runtime/address.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";
import { GLOBAL_UNIT } from "./balance.ts";

/** The actors of a placement unit on this node: every brand-scoped kind for a brand, every global kind for the global unit. */
export class UnitHosting {
  constructor(private system: Pick<ActorSystem, "kinds" | "host" | "unhost" | "activate">) {}

  /** Host the unit's actors; their addresses. */
  async host(unit: string): Promise<string[]> {
    const global = unit === GLOBAL_UNIT;
    const addresses: string[] = [];
    for (const kind of this.system.kinds()) {
      if ((kind.scope === "global") === global) addresses.push(await this.system.host(kind.domain, global ? null : unit));
    }
    return addresses;
  }

  /** Make the instances of the kinds that fence out a former holder when they activate (the wallet's epoch). */
  async activate(addresses: string[]): Promise<void> {
    const fencing = new Set(
      this.system
        .kinds()
        .filter((k) => k.activateWhenPlaced)
        .map((k) => k.domain),
    );
    await Promise.all(addresses.filter((a) => fencing.has(parseAddress(a).domain)).map((a) => this.system.activate(a)));
  }

  /** Stop hosting them: running turns finish, what they had not taken stays pending for the next holder. */
  async unhost(addresses: string[]): Promise<void> {
    await Promise.all(addresses.map((a) => this.system.unhost(a)));
  }
}

import type { BodyOf, Protocol, ReplyOf } from "./actor.ts";
import { formatAddress } from "./address.ts";
import { fail, type Outcome } from "./errors.ts";
import type { AskOptions, Messenger, TellOptions } from "./messenger.ts";

/**
 * A typed client of one actor: a method per message type of its protocol, taking the body
 * and answering the Outcome (a reply or an expected refusal with its code), e.g.
 * `walletClient(messenger, "acme").depositApprove({ requestId, by })`.
 */
export type Client<P extends Protocol> = {
  readonly [K in keyof P & string]: (body: BodyOf<P, K>, options?: AskOptions) => Promise<Outcome<ReplyOf<P, K>>>;
};

/**
 * The client of `domain@brand` (or the global `domain` when `brand` is null). When this node
 * does not run the domain at all, every call answers `unavailable` without sending.
 */
export function protocolClient<P extends Protocol>(messenger: Messenger, protocol: P, domain: string, brand: string | null): Client<P> {
  const address = formatAddress(domain, brand);
  const client: Record<string, unknown> = {};
  for (const type of Object.keys(protocol)) {
    client[type] = (body: unknown, options?: AskOptions) =>
      messenger.runs(domain)
        ? messenger.askOutcome(address, type, body, options)
        : Promise.resolve(fail("unavailable", `the ${domain} service is not running on this node; retry later`));
  }
  return Object.freeze(client) as Client<P>;
}

/**
 * Typed tells to `domain@brand` (or the global `domain`): a message of the actor's protocol
 * sent without waiting for its outcome (the mailbox keeps it; the actor's journal applies it
 * once under `options.id`), e.g. `tellerOf(messenger, catalogProtocol, "catalog", null).tell("allowAgent", body, { id })`.
 */
export function tellerOf<P extends Protocol>(messenger: Pick<Messenger, "tell">, _protocol: P, domain: string, brand: string | null) {
  const address = formatAddress(domain, brand);
  return { tell: <K extends keyof P & string>(type: K, body: BodyOf<P, K>, options?: TellOptions) => messenger.tell(address, type, body, options) };
}

/**
 * One client per brand, made on first use and kept: edges ask on every request, so a brand's
 * client is not rebuilt each time. `perBrand((brand) => walletClient(messenger, brand))`.
 */
export function perBrand<C>(make: (brand: string) => C): (brand: string) => C {
  const made = new Map<string, C>();
  return (brand) => {
    let client = made.get(brand);
    if (client === undefined) made.set(brand, (client = make(brand)));
    return client;
  };
}

/** The reply of an Outcome, or its refusal thrown as an Error (for tests and tools, not edges). */
export function expectOk<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw Object.assign(new Error(`${outcome.error.code}: ${outcome.error.message}`), { code: outcome.error.code, details: outcome.error.details });
  return outcome.value;
}

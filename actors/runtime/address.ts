import { z } from "zod";

/** Brand ids are slugs: they name files and Redis keys, so nothing else may pass. */
export const brandIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "a brand id is 1-40 lowercase letters, digits or dashes, not starting or ending with a dash");

export const domainSchema = z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, "a domain is a lowercase name");

export type Address = { domain: string; brand: string | null };

/** `wallet@acme` for a brand's actor, `catalog` for a global one. */
export function formatAddress(domain: string, brand: string | null): string {
  return brand === null ? domain : `${domain}@${brand}`;
}

export function parseAddress(address: string): Address {
  const at = address.indexOf("@");
  const domain = at < 0 ? address : address.slice(0, at);
  const brand = at < 0 ? null : address.slice(at + 1);
  domainSchema.parse(domain);
  if (brand !== null) brandIdSchema.parse(brand);
  return { domain, brand };
}

export function isBrandId(value: string): boolean {
  return brandIdSchema.safeParse(value).success;
}

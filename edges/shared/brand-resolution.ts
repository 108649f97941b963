import type { Context, MiddlewareHandler } from "hono";
import type { Brand, Surface } from "../../actors/catalog/index.ts";
import { isBrandId } from "../../actors/runtime/address.ts";
import { PlatformError } from "../../actors/runtime/errors.ts";
import { bearerToken, type TokenKind, verifyAccessToken } from "./access-token.ts";
import type { EdgeContext } from "./edge-context.ts";
import type { BrandSource, EdgeEnv } from "./env.ts";

export type BrandResolution = {
  /** resolve the Host through the catalog; only hosts of this surface count */
  host?: Surface;
  /** trust `X-Brand-Id`: only behind the service-token check of the internal edge */
  header?: boolean;
  /** read an access token from this header and take its brand claim */
  token?: { header: "authorization" | "x-access-token"; kinds: readonly TokenKind[] };
  /** answer 404 brand_not_found when no source names a brand */
  required: boolean;
};

type Named = { source: BrandSource; id: string };

/**
 * Decide the request's brand from every source the edge trusts. Two sources naming different
 * brands is refused (403 brand_mismatch); an unknown brand is 404, a disabled one 403.
 * Sets `brand`, `brandSource` and, when a token was sent, `claims`.
 */
export function resolveBrand(ctx: EdgeContext, options: BrandResolution): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const named = [...fromHost(ctx, c, options), ...fromHeader(c, options), ...(await fromToken(ctx, c, options))];
    const ids = [...new Set(named.map((n) => n.id))];
    if (ids.length > 1) {
      const said = named.map((n) => `the ${n.source} names ${n.id}`).join(", ");
      throw new PlatformError("brand_mismatch", `the request names more than one brand: ${said}`);
    }
    const first = named[0];
    if (!first) {
      if (options.required) throw new PlatformError("brand_not_found", `no brand serves host ${hostOf(c)}`);
      return next();
    }
    c.set("brand", activeBrand(ctx, first.id));
    c.set("brandSource", first.source);
    return next();
  };
}

/** For routes that need a brand on an edge where it is optional (admin, internal). */
export function requireBrand(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    if (!c.var.brand) throw new PlatformError("brand_not_found", "this route is brand-scoped: name the brand (Host, X-Brand-Id or token)");
    return next();
  };
}

export function activeBrand(ctx: EdgeContext, id: string): Brand {
  const brand = isBrandId(id) ? ctx.brands.get(id) : undefined;
  if (!brand) throw new PlatformError("brand_not_found", `no brand ${id}`);
  if (brand.status !== "active") throw new PlatformError("brand_disabled", `brand ${id} is disabled`);
  return brand;
}

function hostOf(c: Context): string {
  return c.req.header("host") ?? new URL(c.req.url).host;
}

function fromHost(ctx: EdgeContext, c: Context, options: BrandResolution): Named[] {
  if (!options.host) return [];
  const hit = ctx.brands.byHost(hostOf(c));
  return hit && hit.surface === options.host ? [{ source: "host", id: hit.brand.id }] : [];
}

function fromHeader(c: Context, options: BrandResolution): Named[] {
  const id = options.header ? c.req.header("x-brand-id") : undefined;
  if (id === undefined) return [];
  if (!isBrandId(id)) throw new PlatformError("validation_failed", "X-Brand-Id: a brand id is 1-40 lowercase letters, digits or dashes");
  return [{ source: "header", id }];
}

async function fromToken(ctx: EdgeContext, c: Context<EdgeEnv>, options: BrandResolution): Promise<Named[]> {
  if (!options.token) return [];
  const value = c.req.header(options.token.header);
  // X-Access-Token (a caller's token forwarded by a trusted service) may omit the scheme
  const token = options.token.header === "authorization" ? bearerToken(value) : value?.replace(/^Bearer\s+/i, "").trim() || undefined;
  if (!token) return [];
  const claims = await verifyAccessToken(ctx, token);
  if (!options.token.kinds.includes(claims.kind)) {
    throw new PlatformError("invalid_token", `a ${claims.kind} token is not accepted on the ${c.var.edge} edge`);
  }
  c.set("claims", claims);
  return claims.brand === null ? [] : [{ source: "token", id: claims.brand }];
}

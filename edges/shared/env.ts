import type { Brand } from "../../actors/catalog/index.ts";
import type { AccessClaims } from "./access-token.ts";

export const EDGE_NAMES = ["gateway", "agent", "admin", "callback", "internal"] as const;
export type EdgeName = (typeof EDGE_NAMES)[number];

/** Where the request's brand came from: the Host, a trusted X-Brand-Id, or the access token. */
export type BrandSource = "host" | "header" | "token";

type BaseVariables = {
  requestId: string;
  edge: EdgeName;
  /** the verified access token, when the request carried one */
  claims?: AccessClaims;
};

/** Every edge app: the brand may be absent (admin global staff, internal global routes, ops). */
export type EdgeEnv = {
  Variables: BaseVariables & { brand?: Brand; brandSource?: BrandSource };
};

/** Routes that run after a required brand resolution (gateway, agent) or `requireBrand()`. */
export type BrandedEnv = {
  Variables: BaseVariables & { brand: Brand; brandSource: BrandSource };
};

export { EDGE_NAMES, type EdgeName, type EdgeEnv, type BrandedEnv, type BrandSource } from "./env.ts";
export { createEdgeApp, mountOpenApiDocument, mountRoutes, type EdgeFrameOptions, type RouteModule, type RouteMount } from "./edge-app.ts";
export { edgeErrorHandler, errorEnvelopeSchema, errorResponse, notFoundEnvelope, validationError } from "./error-envelope.ts";
export { statusOf, type ErrorCode } from "./error-status.ts";
export { resolveBrand, requireBrand, activeBrand, type BrandResolution } from "./brand-resolution.ts";
export {
  signAccessToken,
  verifyAccessToken,
  bearerToken,
  accessClaimsSchema,
  TOKEN_KINDS,
  type AccessClaims,
  type AccessGrant,
  type TokenKind,
} from "./access-token.ts";
export { requireAccess } from "./access.ts";
export { requireServiceToken, isServiceToken } from "./service-token.ts";
export { requireHealthy } from "./healthy-brand.ts";
export { validated, validationOf, type Validation, type ValidationTarget } from "./validated.ts";
export { pageOfList } from "./list-page.ts";
export {
  describe,
  describeWith,
  openApiDocument,
  routesOf,
  type DocumentedRoute,
  type OpenApiDocument,
  type OpenApiInfo,
  type RouteDescription,
} from "./openapi/index.ts";
export { metricsEndpoint } from "./prometheus.ts";

export { requireAccess } from "./access.ts";
export {
  type AccessClaims,
  type AccessGrant,
  accessClaimsSchema,
  bearerToken,
  signAccessToken,
  TOKEN_KINDS,
  type TokenKind,
  verifyAccessToken,
} from "./access-token.ts";
export { activeBrand, type BrandResolution, requireBrand, resolveBrand } from "./brand-resolution.ts";
export { createEdgeApp, type EdgeFrameOptions, mountOpenApiDocument, mountRoutes, type RouteModule, type RouteMount } from "./edge-app.ts";
export { type BrandedEnv, type BrandSource, EDGE_NAMES, type EdgeEnv, type EdgeName } from "./env.ts";
export { edgeErrorHandler, errorEnvelopeSchema, errorResponse, notFoundEnvelope, validationError } from "./error-envelope.ts";
export { type ErrorCode, statusOf } from "./error-status.ts";
export { requireHealthy } from "./healthy-brand.ts";
export { pageOfList } from "./list-page.ts";
export {
  type DocumentedRoute,
  describe,
  describeWith,
  type OpenApiDocument,
  type OpenApiInfo,
  openApiDocument,
  type RouteDescription,
  routesOf,
} from "./openapi/index.ts";
export { metricsEndpoint } from "./prometheus.ts";
export { isServiceToken, requireServiceToken } from "./service-token.ts";
export { type Validation, type ValidationTarget, validated, validationOf } from "./validated.ts";

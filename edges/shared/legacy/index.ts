/**
 * Legacy dialects: old clients' root paths translated to an edge's `/api/v1` twin and back, by
 * a table of rows (dialect.ts). The gateway's player dialect and the agent edge's dialect
 * both run here; an edge adds its table and mounts `legacyDialect`.
 */
export type { FieldRule, LegacyRoute, Pick, ReplyRule, Shape } from "./dialect.ts";
export { legacyAwareErrors, legacyFailureResponse } from "./legacy-errors.ts";
export { legacyEnvelopeSchema, legacyFieldsSchema, MAX_LEGACY_PAGE } from "./legacy-fields.ts";
export { type LegacyTwin, legacyDialect } from "./legacy-routes.ts";
export { type LegacyEnvelope, legacyData, legacyFailure, legacyJson, legacySuccess, type TwinRequest, twinRequest } from "./translate.ts";

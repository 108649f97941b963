import { z } from "zod";
import { moneyInput } from "../../../actors/runtime/fields.ts";
import type { LegacyRoute } from "./dialect.ts";

/**
 * What a legacy request may carry, per table row: each field it names as one value (a form
 * may repeat a key: the first counts; an empty value counts as absent), money as whole minor
 * units within what a request may move, a page number within reach of the cursor walk. The
 * twin validates each field's meaning; this keeps what reaches the translation to scalars.
 */

/** the deepest page the translator walks to (each page before it is one twin request) */
export const MAX_LEGACY_PAGE = 50;

const firstGiven = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const first = Array.isArray(value) ? value[0] : value;
    return first === "" ? undefined : first;
  }, schema.optional());

const text = firstGiven(z.union([z.string().max(2000, "at most 2000 characters"), z.number(), z.boolean()]));
const money = firstGiven(moneyInput()).describe("whole minor units");
const page = firstGiven(z.coerce.number().int().min(1).max(MAX_LEGACY_PAGE)).describe("1 for the first page");
// it is sent on to the twin in a header, which carries printable ASCII only
const token = firstGiven(
  z
    .string()
    .max(2000)
    .regex(/^[\x21-\x7E]+$/, "an access token is printable ASCII"),
).describe("the access token, when not sent as Authorization: Bearer");

export function legacyFieldsSchema(route: LegacyRoute) {
  const shape: Record<string, z.ZodType> = { token };
  for (const [name, rule] of Object.entries(route.fields ?? {})) shape[name] = typeof rule === "object" && "money" in rule ? money : text;
  if (route.pageField) shape[route.pageField] = page;
  return z.looseObject(shape);
}

/** The legacy envelope every route answers with, HTTP 200 either way. */
export const legacyEnvelopeSchema = z
  .union([
    z.object({ result: z.literal(1), msg: z.literal(""), data: z.unknown() }),
    z.object({ result: z.literal(0), msg: z.string().describe("for the player"), code: z.string().describe("the /api/v1 error code") }),
  ])
  .meta({ id: "LegacyEnvelope" });

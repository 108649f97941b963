import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import type { OpenApiDocument } from "../../edges/shared/index.ts";
import type { SentRequest } from "./fuzz-request.ts";
import type { Operation } from "./operations.ts";

/**
 * A request, who sent it (staff: their role and brand scope; `foreign`: credentials the route
 * must refuse, when it asks for any: `guarded`), and what came back.
 */
export type Exchange = {
  op: Operation;
  request: SentRequest;
  staff?: { role: string; brands: string[] | null };
  foreign?: string;
  guarded?: boolean;
  status: number;
  headers: Headers;
  text: string;
  json?: any;
};

const isCallback = (op: Operation) => op.path.startsWith("/callbacks/");
const isLegacy = (op: Operation) => op.tags.includes("legacy");
/** what a route answers when it does not answer JSON */
const OTHER_MEDIA: Record<string, string> = { "/metrics": "text/plain", "/top-info.html": "text/html" };

/** Whether the route did what was asked: 2xx, and in the dialects `result: 1` or `RS_OK`. */
export function accepted(ex: Exchange): boolean {
  if (ex.status < 200 || ex.status >= 300) return false;
  if (isLegacy(ex.op)) return ex.json?.result === 1;
  if (isCallback(ex.op)) return ex.json?.status === "RS_OK";
  return true;
}

/**
 * What is wrong with one answer: any 5xx; a refusal that is not the error envelope (or the
 * dialect's body on the callback and legacy routes); an answer of the legacy dialect hiding a
 * failure of ours; a body the operation's own documented schema refuses, accepted.
 */
export function problemsOf(ex: Exchange, bodySchema: (op: Operation) => ValidateFunction | undefined): string[] {
  const problems: string[] = [];
  const { op, status, json } = ex;
  if (status >= 500) problems.push(`answered ${status}: ${ex.text.slice(0, 300)}`);
  const media = ex.headers.get("content-type") ?? "";
  const expected = status < 400 ? (OTHER_MEDIA[op.path] ?? "application/json") : "application/json";
  if (status !== 101 && !media.startsWith(expected)) problems.push(`answered ${status} as ${media || "no content type"}, not ${expected}`);
  else if (status >= 400 && !isEnvelope(json) && !(isCallback(op) && isDialectRefusal(json)))
    problems.push(`answered ${status} without the error envelope: ${ex.text.slice(0, 200)}`);
  if (isLegacy(op) && status < 400) {
    if (json?.result !== 0 && json?.result !== 1) problems.push(`a legacy answer without result 0 or 1: ${ex.text.slice(0, 200)}`);
    if (json?.result === 0 && ["internal", "timeout", "unavailable"].includes(json.code)) problems.push(`a legacy answer hiding a failure: ${ex.text.slice(0, 200)}`);
  }
  if (isCallback(op) && json?.status === "RS_ERROR_UNKNOWN") problems.push(`the callback's outcome is unknown: ${ex.text.slice(0, 200)}`);
  // the legacy dialect documents its own leniency (a repeated field's first value counts)
  const validate = ex.request.bodyIsJson && !isLegacy(op) ? bodySchema(op) : undefined;
  const body = ex.request.parsedBody;
  if (validate && accepted(ex) && !validate(asValidated(body, false)) && !validate(asValidated(body, true))) {
    problems.push(`accepted a body its documented schema refuses (${validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join("; ")})`);
  }
  return problems;
}

/**
 * A body as the routes' schemas see it, for what JSON Schema cannot say: text is trimmed
 * (zod's trim) and, for names and hosts, lowercased before it is checked; a `__proto__` key
 * is dropped (zod never copies it).
 */
function asValidated(value: unknown, lowercase: boolean): unknown {
  if (typeof value === "string") return lowercase ? value.trim().toLowerCase() : value.trim();
  if (Array.isArray(value)) return value.map((v) => asValidated(v, lowercase));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "__proto__")
        .map(([k, v]) => [k, asValidated(v, lowercase)]),
    );
  return value;
}

/**
 * What credentials must keep from their holder: a route that asks for credentials never takes
 * another kind of caller's, another brand's or forged ones. What a member's role and brand
 * scope must keep from them: a route naming a brand outside
 * their scope never does what it was asked, no reply to them names a brand outside it, and
 * a read-only member changes nothing.
 */
export function authorizationProblems(ex: Exchange, brands: string[]): string[] {
  if (ex.foreign && ex.guarded && accepted(ex)) return [`took the credentials of ${ex.foreign}: answered ${ex.status} ${ex.text.slice(0, 200)}`];
  const staff = ex.staff;
  // the sign-in routes answer for the account they name, not for the caller
  if (!staff || !accepted(ex) || OWN_ACCOUNT.test(ex.op.path)) return [];
  const problems: string[] = [];
  const outside = staff.brands === null ? [] : brands.filter((b) => !staff.brands!.includes(b));
  const named = outside.find((b) => new URL(ex.request.url).pathname.split("/").includes(b));
  if (named) problems.push(`a member scoped to ${staff.brands} was answered ${ex.status} on brand ${named}`);
  const leaked = outside.filter((b) => ex.text.includes(b));
  if (leaked.length > 0) problems.push(`a member scoped to ${staff.brands} was shown brand ${leaked.join(", ")}: ${ex.text.slice(0, 300)}`);
  if (staff.role === "read_only" && ex.op.method !== "GET") problems.push(`a read-only member's ${ex.op.method} was answered ${ex.status}`);
  return problems;
}

/** the routes of a member's own sign-in */
const OWN_ACCOUNT = /^\/api\/v1\/auth\//;

const isEnvelope = (json: any) => typeof json?.error?.code === "string" && typeof json?.error?.message === "string";
const isDialectRefusal = (json: any) => typeof json?.status === "string" && json.status.startsWith("RS_ERROR_");

/** Validators of each operation's documented JSON request body, compiled once per document. */
export function bodyValidators() {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  const added = new Map<OpenApiDocument, string>();
  const compiled = new Map<string, ValidateFunction | undefined>();
  return (op: Operation): ValidateFunction | undefined => {
    if (compiled.has(op.key)) return compiled.get(op.key);
    let id = added.get(op.document);
    if (!id) {
      id = `https://fuzz.test/${op.edge}.json`;
      ajv.addSchema(structuredClone(op.document), id);
      added.set(op.document, id);
    }
    const pointer = ["paths", op.path, op.method.toLowerCase(), "requestBody", "content", "application/json", "schema"].map((t) =>
      encodeURIComponent(t.replaceAll("~", "~0").replaceAll("/", "~1")),
    );
    const validate = op.body?.media.includes("application/json") ? ajv.getSchema(`${id}#/${pointer.join("/")}`) : undefined;
    compiled.set(op.key, validate);
    return validate;
  };
}

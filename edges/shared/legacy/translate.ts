import { PlatformError } from "../../../actors/runtime/errors.ts";
import type { FieldRule, LegacyRoute, Pick, ReplyRule, Shape } from "./dialect.ts";

/** The generic translator: a legacy request to its `/api/v1` twin, and the twin's reply back. */

export type TwinRequest = { method: string; path: string; query: URLSearchParams; json: Record<string, unknown> | undefined };

export type LegacyEnvelope = { result: 1; msg: ""; data: unknown } | { result: 0; msg: string; code: string };

export const legacySuccess = (data: unknown): LegacyEnvelope => ({ result: 1, msg: "", data });
export const legacyFailure = (code: string, msg: string): LegacyEnvelope => ({ result: 0, msg, code });

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

function getPath(source: unknown, path: string): unknown {
  let at = source;
  for (const key of path.split(".")) at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function applyField(rule: FieldRule, value: unknown, into: Record<string, unknown>) {
  if (typeof rule === "string") return setPath(into, rule, value);
  if ("money" in rule) return setPath(into, rule.money, value);
  const text = String(value);
  const at = text.indexOf(rule.split);
  // an unsplittable value goes whole into the first field, so the twin's validation names it
  setPath(into, rule.into[0], at < 0 ? text : text.slice(0, at));
  if (at >= 0) setPath(into, rule.into[1], text.slice(at + rule.split.length));
}

/** The twin request for a legacy request's fields (query and body merged, `token` already taken out). */
export function twinRequest(route: LegacyRoute, fields: Record<string, unknown>): TwinRequest {
  const [method, template] = route.twin.split(" ") as [string, string];
  const renamed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(route.fixed ?? {})) setPath(renamed, field, value);
  for (const [legacyName, rule] of Object.entries(route.fields ?? {})) {
    const raw = fields[legacyName];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== "") applyField(rule, value, renamed);
  }
  const path = template.replace(/:([a-z]+)/gi, (_, name: string) => {
    const value = renamed[name];
    delete renamed[name];
    const legacyName = Object.entries(route.fields ?? {}).find(([, rule]) => rule === name)?.[0] ?? name;
    if (value === undefined) throw new PlatformError("validation_failed", `${legacyName}: required`);
    return encodeURIComponent(String(value));
  });
  if (method === "GET") {
    const query = new URLSearchParams(Object.entries(renamed).map(([k, v]) => [k, String(v)]));
    return { method, path, query, json: undefined };
  }
  return { method, path, query: new URLSearchParams(), json: renamed };
}

function pick(rule: Pick, source: unknown): unknown {
  if (typeof rule === "string") return getPath(source, rule) ?? null;
  if ("join" in rule) return rule.join.map((p) => getPath(source, p)).join("/");
  const value = getPath(source, rule.from);
  if (rule.as === "flag") return value === null || value === undefined || value === false ? 0 : 1;
  return legacyInteger(value);
}

/**
 * Money is a digit string in /api/v1 and an integer in the legacy dialect: one past 2^53 stays
 * exact as a bigint, written as a JSON number by `legacyJson`.
 */
function legacyInteger(value: unknown): number | bigint {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value);
  }
  throw new Error(`legacy integer field is not an integer: ${String(value)}`);
}

/**
 * The JSON text of a legacy envelope. Integers past 2^53 are written digit for digit, as JSON
 * allows; they pass JSON.stringify as strings tagged with a value made for this call, so no
 * text a user wrote can be taken for one.
 */
export function legacyJson(envelope: LegacyEnvelope): string {
  const tag = `${crypto.randomUUID()}:`;
  const text = JSON.stringify(envelope, (_key, value) => (typeof value === "bigint" ? `${tag}${value}` : value));
  return text.replaceAll(new RegExp(`"${tag}(-?\\d+)"`, "g"), "$1");
}

function shaped(shape: Shape, source: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(shape)) {
    const nested = typeof rule === "object" && !("from" in rule) && !("join" in rule);
    out[key] = nested ? shaped(rule as Shape, source) : pick(rule as Pick, source);
  }
  return out;
}

/** `data` of the legacy reply; lists are `{ list, ...extra }`. */
export function legacyData(rule: ReplyRule, reply: unknown): unknown {
  if ("data" in rule) return shaped(rule.data, reply);
  const items = getPath(reply, rule.list);
  const list = Array.isArray(items) ? items.map((item) => shaped(rule.each, item)) : [];
  return { list, ...(rule.extra ? shaped(rule.extra, reply) : {}) };
}

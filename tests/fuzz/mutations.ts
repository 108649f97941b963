import fc from "fast-check";
import { type Hostile, hostileUrlValue, hostileValue, nested } from "./hostile-values.ts";
import { type JsonSchema, type Operation, resolved } from "./operations.ts";

/** Where a value sits in a request (a parameter by name, or a body field by its key path), and its schema. */
export type Slot = { in: "path" | "query" | "header" | "body"; path: string[]; schema?: JsonSchema };

/** A body that replaces the whole request body, with the content type it is sent under (null: none). */
export type BodyVariant = { label: string; contentType: string | null; make: (baseline: unknown) => string | Uint8Array | FormData };

/** Credentials of someone a route must not take: another kind of caller, another brand, a forgery. */
export type Credential = { label: string; headers?: Record<string, string>; bodyToken?: string };

/** What the fuzzer does to an operation's plain request: nothing, or one hostile change. */
export type Mutation =
  | { kind: "baseline" }
  | { kind: "set"; slot: Slot; value: Hostile }
  | { kind: "drop"; slot: Slot }
  | { kind: "extra"; in: "query" | "body"; name: string; value: Hostile }
  | { kind: "repeat"; name: string; values: [Hostile, Hostile] }
  | { kind: "body"; variant: BodyVariant }
  | { kind: "both"; first: Mutation; second: Mutation }
  | { kind: "credential"; credential: Credential };

export function describeMutation(m: Mutation): string {
  const where = (s: Slot) => `${s.in} ${s.path.join(".")}`;
  switch (m.kind) {
    case "baseline":
      return "the plain request";
    case "set":
      return `${where(m.slot)} = ${m.value.label}`;
    case "drop":
      return `${where(m.slot)} left out`;
    case "extra":
      return `extra ${m.in} field ${m.name} = ${m.value.label}`;
    case "repeat":
      return `query ${m.name} twice: ${m.values.map((v) => v.label).join(", ")}`;
    case "body":
      return `body: ${m.variant.label}`;
    case "both":
      return `${describeMutation(m.first)}, and ${describeMutation(m.second)}`;
    case "credential":
      return `the credentials of ${m.credential.label}`;
  }
}

const json = (v: unknown) => JSON.stringify(v ?? {});
const utf8 = (v: string) => new TextEncoder().encode(v);

/** Whole bodies: malformed JSON, the wrong top-level type, nesting under and past the bound, sizes, forms and other media types. */
const BODY_VARIANTS: BodyVariant[] = [
  { label: "empty", contentType: "application/json", make: () => "" },
  { label: "truncated JSON", contentType: "application/json", make: (b) => json(b).slice(0, -1) },
  { label: "single quotes", contentType: "application/json", make: (b) => json(b).replaceAll('"', "'") },
  { label: "trailing comma", contentType: "application/json", make: (b) => `${json(b).slice(0, -1)},}` },
  { label: "trailing garbage", contentType: "application/json", make: (b) => `${json(b)}garbage` },
  { label: "BOM first", contentType: "application/json", make: (b) => `\uFEFF${json(b)}` },
  { label: "NUL after", contentType: "application/json", make: (b) => `${json(b)}\u0000` },
  { label: "not UTF-8", contentType: "application/json", make: (b) => new Uint8Array([...utf8(json(b)).slice(0, -1), 0xff, 0xfe, 0x7d]) },
  { label: "UTF-16", contentType: "application/json; charset=utf-16", make: (b) => new Uint8Array(new Uint16Array([...json(b)].map((c) => c.charCodeAt(0))).buffer) },
  { label: "null", contentType: "application/json", make: () => "null" },
  { label: "array", contentType: "application/json", make: (b) => `[${json(b)}]` },
  { label: "string", contentType: "application/json", make: () => '"fuzz"' },
  { label: "number", contentType: "application/json", make: () => "9223372036854775808" },
  { label: "duplicate keys", contentType: "application/json", make: (b) => `${json(b).slice(0, -1)}${json(b) === "{}" ? "" : ","}"amount":-1,"amount":"x"}` },
  { label: "__proto__ key", contentType: "application/json", make: (b) => `{"__proto__":{"role":"owner","brands":null},${json(b).slice(1)}`.replace(",}", "}") },
  { label: "nested 31 (within the bound)", contentType: "application/json", make: () => nested(31) },
  { label: "nested 33 (past the bound)", contentType: "application/json", make: () => nested(33) },
  { label: "nested 30000 (under the body limit)", contentType: "application/json", make: () => nested(30000) },
  { label: "nested objects 10000", contentType: "application/json", make: () => `${'{"a":'.repeat(10000)}1${"}".repeat(10000)}` },
  { label: "brackets in strings", contentType: "application/json", make: () => JSON.stringify({ a: "[".repeat(40000) }) },
  { label: "past the body limit", contentType: "application/json", make: () => JSON.stringify({ a: "x".repeat(70_000) }) },
  { label: "form-encoded", contentType: "application/x-www-form-urlencoded", make: (b) => new URLSearchParams(flatForm(b)).toString() },
  {
    label: "form with NUL",
    contentType: "application/x-www-form-urlencoded",
    make: (b) => new URLSearchParams(Object.entries(flatForm(b)).map(([k, v]) => [k, `${v}\u0000`])).toString(),
  },
  {
    label: "form, repeated keys",
    contentType: "application/x-www-form-urlencoded",
    make: (b) =>
      Object.keys(flatForm(b))
        .map((k) => `${k}=1&${k}=2`)
        .join("&"),
  },
  {
    label: "broken form escapes",
    contentType: "application/x-www-form-urlencoded",
    make: (b) =>
      Object.keys(flatForm(b))
        .map((k) => `${k}=%ff%`)
        .join("&") || "a=%",
  },
  { label: "multipart", contentType: null, make: (b) => Object.entries(flatForm(b)).reduce((form, [k, v]) => (form.append(k, v), form), new FormData()) },
  { label: "multipart without a boundary", contentType: "multipart/form-data", make: (b) => json(b) },
  { label: "JSON sent as a form", contentType: "application/x-www-form-urlencoded", make: (b) => json(b) },
  { label: "JSON as text/plain", contentType: "text/plain", make: (b) => json(b) },
  { label: "XML", contentType: "application/xml", make: () => '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
  { label: "no content type", contentType: null, make: (b) => json(b) },
];

/** A body as form fields: scalars as they are, objects and arrays as their JSON. */
export function flatForm(body: unknown): Record<string, string> {
  if (!body || typeof body !== "object" || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** The slots of an operation: each parameter, and each body property (nested objects to depth 3). */
export function slotsOf(op: Operation, baseline: unknown): Slot[] {
  const slots: Slot[] = op.parameters.map((p) => ({ in: p.in, path: [p.name], schema: p.schema }));
  if (op.body) slots.push(...bodySlots(op, op.body.schema, baseline, []));
  return slots;
}

function bodySlots(op: Operation, schema: JsonSchema, value: unknown, at: string[]): Slot[] {
  if (at.length >= 4) return [];
  const s = resolved(op.document, schema);
  // an array's first item stands for every item
  if (Array.isArray(value)) return value.length > 0 && s.items ? [{ in: "body", path: [...at, "0"], schema: s.items }, ...bodySlots(op, s.items, value[0], [...at, "0"])] : [];
  const properties = { ...(s.properties ?? {}) } as Record<string, JsonSchema>;
  const given = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  for (const name of Object.keys(given)) properties[name] ??= {};
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = [...at, name];
    const inner = given[name];
    const deeper = inner && typeof inner === "object" ? bodySlots(op, property, inner, path) : [];
    return [{ in: "body" as const, path, schema: property }, ...deeper];
  });
}

const fieldName = fc.constantFrom("fuzz", "__proto__", "constructor", "toString", "brand", "by", "role", "staffId", "player", "amount", "x".repeat(300), "a\u0000b", "\uFEFF");

/** The mutations of `op`: mostly one hostile value in one slot; sometimes a field left out or added, a repeated query key, or a whole body. */
export function mutationOf(op: Operation, slots: Slot[], pinned: string[] = [], credentials: Credential[] = []): fc.Arbitrary<Mutation> {
  const options: { weight: number; arbitrary: fc.Arbitrary<Mutation> }[] = [{ weight: 1, arbitrary: fc.constant({ kind: "baseline" as const }) }];
  if (credentials.length > 0) options.push({ weight: 2, arbitrary: fc.constantFrom(...credentials).map((credential): Mutation => ({ kind: "credential", credential })) });
  if (slots.length > 0) {
    const slot = fc.constantFrom(...slots);
    const valueFor = (s: Slot) => {
      const edges = edgeValues(op, s.schema);
      const hostile = s.in === "body" ? hostileValue : hostileUrlValue;
      return edges.length > 0 ? fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : hostile;
    };
    const set = slot.chain((s) => valueFor(s).map((value): Mutation => ({ kind: "set", slot: s, value })));
    options.push({ weight: 9, arbitrary: set }, { weight: 2, arbitrary: fc.tuple(set, set).map(([first, second]): Mutation => ({ kind: "both", first, second })) });
    const droppable = slots.filter((s) => !pinned.includes(s.path[0]!));
    if (droppable.length > 0) options.push({ weight: 1, arbitrary: fc.constantFrom(...droppable).map((s): Mutation => ({ kind: "drop", slot: s })) });
  }
  const queryNames = op.parameters.filter((p) => p.in === "query").map((p) => p.name);
  options.push({ weight: 1, arbitrary: fc.record({ name: fieldName, value: hostileUrlValue }).map(({ name, value }): Mutation => ({ kind: "extra", in: "query", name, value })) });
  if (queryNames.length > 0) {
    options.push({
      weight: 1,
      arbitrary: fc.record({ name: fc.constantFrom(...queryNames), values: fc.tuple(hostileUrlValue, hostileUrlValue) }).map((r): Mutation => ({ kind: "repeat", ...r })),
    });
  }
  if (op.body) {
    options.push(
      { weight: 1, arbitrary: fc.record({ name: fieldName, value: hostileValue }).map(({ name, value }): Mutation => ({ kind: "extra", in: "body", name, value })) },
      { weight: 3, arbitrary: fc.constantFrom(...BODY_VARIANTS).map((variant): Mutation => ({ kind: "body", variant })) },
    );
  }
  return fc.oneof(...options);
}

/**
 * Values at the edges of what a slot's own schema allows: each enum member, a number's bounds
 * and one past them, a text of the longest length and one past it. They reach further into
 * the actors than values every route refuses at once.
 */
export function edgeValues(op: Operation, schema: JsonSchema | undefined, depth = 0): Hostile[] {
  if (!schema || depth > 3) return [];
  const s = resolved(op.document, schema);
  const out: Hostile[] = [];
  for (const alternative of [...(s.anyOf ?? []), ...(s.oneOf ?? [])] as JsonSchema[]) out.push(...edgeValues(op, alternative, depth + 1));
  if (Array.isArray(s.enum)) out.push(...s.enum.map((v: unknown) => ({ label: `enum ${JSON.stringify(v)}`, json: v, text: String(v) })));
  for (const bound of [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((b) => typeof b === "number") as number[]) {
    for (const n of [bound - 1, bound, bound + 1]) out.push({ label: `bound ${n}`, json: n, text: String(n) });
  }
  if (typeof s.maxLength === "number") {
    for (const n of [s.maxLength, s.maxLength + 1]) out.push({ label: `${n} characters`, json: "a".repeat(n), text: "a".repeat(n) });
  }
  return out;
}

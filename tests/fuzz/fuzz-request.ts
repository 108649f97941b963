import { signBody } from "../../actors/game/index.ts";
import { type Caller, callbackProvider, fieldValue, pathValue } from "./fuzz-targets.ts";
import type { FuzzWorld } from "./fuzz-world.ts";
import { RawJson } from "./hostile-values.ts";
import type { BodyVariant, Mutation, Slot } from "./mutations.ts";
import type { Operation } from "./operations.ts";
import { sampleOf } from "./schema-sample.ts";

type UrlPart = { text: string; encoded?: boolean };

/** A request before it is written: its parts as values, so one of them can be made hostile. */
export type Draft = {
  path: Record<string, UrlPart>;
  query: [string, UrlPart][];
  headers: Record<string, string>;
  /** the JSON body as a tree (RawJson leaves are written as they are) */
  body?: unknown;
  variant?: BodyVariant;
};

/** A request as sent, and what the checks need to know of it. */
export type SentRequest = {
  method: string;
  url: string;
  init: RequestInit;
  /** the JSON body as the route parses it, when it is JSON the fuzzer wrote as a tree */
  parsedBody?: unknown;
  bodyIsJson: boolean;
};

/** The plain request of `op` for `caller`: real names from the world, samples of the schemas elsewhere. */
export function plainDraft(op: Operation, world: FuzzWorld, caller: Caller): Draft {
  const fresh = world.fresh();
  const known = (name: string) => fieldValue(op, world, caller, name, fresh);
  const draft: Draft = { path: {}, query: [], headers: { ...caller.headers } };
  for (const p of op.parameters) {
    if (p.in === "path") draft.path[p.name] = { text: pathValue(op, world, p.name) ?? String(sampleOf(op.document, p.schema, known)) };
    if (p.in === "query") {
      const value = known(p.name) ?? (p.required ? sampleOf(op.document, p.schema, known) : undefined);
      if (value !== undefined) draft.query.push([p.name, { text: String(value) }]);
    }
  }
  if (op.body) draft.body = sampleOf(op.document, op.body.schema, known, { all: op.tags.includes("legacy") });
  return draft;
}

/** `draft` with `mutation` applied (a copy). */
export function mutated(draft: Draft, mutation: Mutation): Draft {
  const next: Draft = { path: { ...draft.path }, query: [...draft.query], headers: { ...draft.headers }, body: structuredClone(draft.body) };
  switch (mutation.kind) {
    case "baseline":
      return next;
    case "set":
      return setSlot(next, mutation.slot, mutation);
    case "drop":
      return dropSlot(next, mutation.slot);
    case "extra":
      if (mutation.in === "query") next.query.push([mutation.name, mutation.value]);
      else if (isObject(next.body)) defineOwn(next.body, mutation.name, mutation.value.json);
      return next;
    case "repeat":
      next.query = [...next.query.filter(([k]) => k !== mutation.name), [mutation.name, mutation.values[0]], [mutation.name, mutation.values[1]]];
      return next;
    case "body":
      next.variant = mutation.variant;
      return next;
    case "both":
      return mutated(mutated(next, mutation.first), mutation.second);
    case "credential":
      Object.assign(next.headers, mutation.credential.headers);
      if (mutation.credential.bodyToken !== undefined && isObject(next.body)) next.body.token = mutation.credential.bodyToken;
      return next;
  }
}

function setSlot(draft: Draft, slot: Slot, { value }: Extract<Mutation, { kind: "set" }>): Draft {
  const name = slot.path[0]!;
  if (slot.in === "path") draft.path[name] = value;
  else if (slot.in === "query") draft.query = [...draft.query.filter(([k]) => k !== name), [name, value]];
  else if (slot.in === "header") {
    // a header value must be Latin-1 without line breaks or NUL: fetch refuses to send anything else
    if (/^[\t\x20-\x7e\x80-\xff]*$/.test(value.text)) draft.headers[name] = value.text;
  } else {
    if (!isContainer(draft.body)) draft.body = {};
    let holder = draft.body as Record<string, unknown>;
    for (const key of slot.path.slice(0, -1)) {
      if (!isContainer(holder[key])) defineOwn(holder, key, {});
      holder = holder[key] as Record<string, unknown>;
    }
    defineOwn(holder, slot.path.at(-1)!, value.json);
  }
  return draft;
}

function dropSlot(draft: Draft, slot: Slot): Draft {
  const name = slot.path[0]!;
  if (slot.in === "path") draft.path[name] = { text: "" };
  else if (slot.in === "query") draft.query = draft.query.filter(([k]) => k !== name);
  else if (slot.in === "header") delete draft.headers[name];
  else {
    let holder = draft.body as Record<string, unknown> | undefined;
    for (const key of slot.path.slice(0, -1)) holder = isContainer(holder?.[key]) ? (holder![key] as Record<string, unknown>) : undefined;
    const last = slot.path.at(-1)!;
    if (Array.isArray(holder)) holder.splice(Number(last), 1);
    else if (holder) delete holder[last];
  }
  return draft;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof RawJson);
const isContainer = (v: unknown): v is Record<string, unknown> => isObject(v) || Array.isArray(v);

/** Set an own property, even `__proto__`, without touching the prototype. */
function defineOwn(holder: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON text of a tree whose RawJson leaves are written as they are. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  if (isObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

function urlPart(part: UrlPart): string {
  return part.encoded ? part.text : encodeURIComponent(part.text.replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
}

/** Write `draft` as the request `op` sends: the URL, the headers, the body (signed on the callback edge). */
export async function written(op: Operation, world: FuzzWorld, draft: Draft, mutation: Mutation): Promise<SentRequest> {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => urlPart(draft.path[name] ?? { text: "" }));
  const query = draft.query.map(([k, v]) => `${encodeURIComponent(k.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))}=${urlPart(v)}`).join("&");
  // the Host header names the brand; the URL's host is the edge's own
  const origin = op.edge === "gateway" ? `http://${world.host}` : "http://fuzz.test";
  const url = `${origin}${path}${query ? `?${query}` : ""}`;
  const headers = new Headers(draft.headers);
  let body: string | Uint8Array | FormData | undefined;
  let parsedBody: unknown;
  let bodyIsJson = false;
  if (draft.variant) {
    body = draft.variant.make(draft.body);
    if (draft.variant.contentType) headers.set("content-type", draft.variant.contentType);
  } else if (op.body) {
    body = jsonText(draft.body);
    headers.set("content-type", "application/json");
    bodyIsJson = true;
    try {
      parsedBody = JSON.parse(body);
    } catch {
      bodyIsJson = false;
    }
  }
  if (op.path.startsWith("/callbacks/") && !signatureChanged(mutation)) {
    const bytes = body instanceof FormData ? new TextEncoder().encode("") : (body ?? "");
    headers.set("x-signature", await signBody(callbackProvider(op, world).secret, bytes));
  }
  return { method: op.method, url, init: { method: op.method, headers, body: body as BodyInit | undefined }, parsedBody, bodyIsJson };
}

function signatureChanged(mutation: Mutation): boolean {
  if (mutation.kind === "both") return signatureChanged(mutation.first) || signatureChanged(mutation.second);
  return (mutation.kind === "set" || mutation.kind === "drop") && mutation.slot.in === "header" && mutation.slot.path[0] === "x-signature";
}

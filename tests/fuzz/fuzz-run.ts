import fc from "fast-check";
import type { EdgeName } from "../../edges/index.ts";
import type { OpenApiDocument } from "../../edges/shared/index.ts";
import { mutated, plainDraft, written } from "./fuzz-request.ts";
import { afterAccepted, callerOf, foreignCredentials, IMPLICIT_HEADERS, PINNED } from "./fuzz-targets.ts";
import type { FuzzWorld } from "./fuzz-world.ts";
import { describeMutation, type Mutation, mutationOf, type Slot, slotsOf } from "./mutations.ts";
import { type Operation, operationsOf } from "./operations.ts";
import { sampleOf } from "./schema-sample.ts";
import { accepted, authorizationProblems, bodyValidators, type Exchange, problemsOf } from "./verdict.ts";

/** One operation's failure: the first request that broke a rule, and how to send it again. */
export type Failure = { operation: string; request: string; problems: string[]; seed: number };

/** What a run covered, and the answers that did something (the money check reads them). */
export type FuzzLedger = { requests: number; routes: Set<string>; accepted: Exchange[] };

/** `keepGoing`: report every failing request, not the first of each operation (to survey a seed). */
export type FuzzOptions = { seed: number; runs: number; keepGoing?: boolean };

/** The edge's OpenAPI document, as a client reads it (the internal edge's with the service token). */
export async function documentOf(world: FuzzWorld, edge: EdgeName): Promise<OpenApiDocument> {
  const headers = edge === "internal" ? { authorization: `Bearer ${world.serviceToken}` } : undefined;
  const res = await world.node.apps[edge].request("http://fuzz.test/openapi.json", { headers });
  if (res.status !== 200) throw new Error(`${edge}: /openapi.json answered ${res.status}`);
  return (await res.json()) as OpenApiDocument;
}

/** A seed of its own for each operation, so each explores other values under the run's seed. */
function seedOf(seed: number, key: string): number {
  let h = seed | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995) >>> 0;
  return h | 0;
}

/**
 * Send `options.runs` hostile requests to every operation of the edge's document, each built
 * from the operation's own schemas and sent with credentials that reach its validation and
 * actors. Answers the failures: at most one per operation (every one with `keepGoing`).
 */
export async function fuzzEdge(world: FuzzWorld, edge: EdgeName, ledger: FuzzLedger, options: FuzzOptions): Promise<Failure[]> {
  const judge = judgeOf(world);
  const failures: Failure[] = [];
  for (const op of operationsOf(edge, await documentOf(world, edge))) failures.push(...(await fuzzOperation(world, op, ledger, options, judge)));
  return failures;
}

async function fuzzOperation(world: FuzzWorld, op: Operation, ledger: FuzzLedger, options: FuzzOptions, judge: Judge): Promise<Failure[]> {
  ledger.routes.add(op.key);
  const guarded = await asksForCredentials(world, op);
  const failures: Failure[] = [];
  const mutations = mutationOf(op, slotsFor(op), PINNED[op.key], foreignCredentials(op, world));
  const property = fc.asyncProperty(mutations, fc.nat(), async (mutation, pick) => {
    const exchange = await sent(world, op, mutation, pick, guarded);
    ledger.requests++;
    if (accepted(exchange)) {
      ledger.accepted.push(exchange);
      await afterAccepted(op, world, exchange.json);
    }
    const problems = judge(exchange);
    if (problems.length === 0) return true;
    failures.push({
      operation: op.key,
      request: `${exchange.request.method} ${exchange.request.url.slice(0, 200)} with ${describeMutation(mutation)}`,
      problems,
      seed: options.seed,
    });
    return options.keepGoing === true;
  });
  const result = await fc.check(property, { seed: seedOf(options.seed, op.key), numRuns: options.runs, endOnFailure: true });
  if (result.failed && failures.length === 0) failures.push({ operation: op.key, request: "(the property threw)", problems: [String(result.errorInstance)], seed: options.seed });
  return failures;
}

/** One request of `op` with `mutation`, sent as the caller `pick` chooses, and its answer. */
async function sent(world: FuzzWorld, op: Operation, mutation: Mutation, pick: number, guarded: boolean): Promise<Exchange> {
  const caller = await callerOf(op, world, pick);
  const request = await written(op, world, mutated(plainDraft(op, world, caller), mutation), mutation);
  const res = await world.node.apps[op.edge].request(request.url, request.init);
  const text = await res.text();
  const foreign = mutation.kind === "credential" ? mutation.credential.label : undefined;
  return { op, request, staff: foreign ? undefined : caller.staff, foreign, guarded, status: res.status, headers: res.headers, text, json: parsed(text) };
}

type Judge = (exchange: Exchange) => string[];

/** Every rule an answer is held to (verdict.ts), with the documents' validators compiled once. */
function judgeOf(world: FuzzWorld): Judge {
  const validators = bodyValidators();
  const brands = [world.brand, world.victimBrand, world.elsewhereBrand];
  return (exchange) => [...problemsOf(exchange, validators), ...authorizationProblems(exchange, brands)];
}

/** Every parameter and body field of `op`, and the headers that carry its credentials and brand. */
function slotsFor(op: Operation): Slot[] {
  const body = op.body ? sampleOf(op.document, op.body.schema, () => undefined, { all: true }) : undefined;
  const documented = new Set(op.parameters.filter((p) => p.in === "header").map((p) => p.name));
  const implicit = (IMPLICIT_HEADERS[op.edge] ?? []).filter((h) => !documented.has(h)).map((h): Slot => ({ in: "header", path: [h] }));
  return [...slotsOf(op, body), ...implicit];
}

/**
 * Whether `op` asks for credentials: its plain request without them is refused as
 * unauthorized (a callback always: its session token is its credential).
 */
async function asksForCredentials(world: FuzzWorld, op: Operation): Promise<boolean> {
  if (op.path.startsWith("/callbacks/")) return true;
  const draft = plainDraft(op, world, await callerOf(op, world, 0));
  delete draft.headers.authorization;
  delete draft.headers["x-access-token"];
  draft.query = draft.query.filter(([name]) => name !== "token");
  if (draft.body && typeof draft.body === "object") delete (draft.body as Record<string, unknown>).token;
  const request = await written(op, world, draft, { kind: "baseline" });
  const res = await world.node.apps[op.edge].request(request.url, request.init);
  const json = parsed(await res.text()) as { code?: string } | undefined;
  return res.status === 401 || json?.code === "unauthorized";
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ErrorCode } from "../error-status.ts";

/** A reply: its JSON schema, or a description with an optional schema and media type (JSON when unsaid). */
export type ResponseDoc = z.ZodType | { description: string; schema?: z.ZodType; mediaType?: string };

/** A request body the handler reads itself rather than through `validated` (a signed raw body, a dialect). */
export type BodyDoc = { mediaType: string; description?: string; schema?: z.ZodType };

export type RouteDescription = {
  summary: string;
  description?: string;
  tags?: readonly string[];
  deprecated?: boolean;
  /** replies by HTTP status; `default` stands for every status not listed */
  responses: { [status: number]: ResponseDoc; default?: ResponseDoc };
  /**
   * Refusals the route answers, by code: each is documented as the error envelope under the
   * status the one table (error-status.ts) gives it, unless `responses` names that status.
   */
  errors?: readonly ErrorCode[];
  body?: BodyDoc;
  /** request headers the route reads (`Idempotency-Key`, ...) as an object schema, one field a header */
  headers?: z.ZodType;
};

/** The parts a family of routes shares; each route's own description adds to them. */
export type SharedDescription = Pick<RouteDescription, "tags" | "errors" | "deprecated" | "body" | "headers"> & {
  responses?: RouteDescription["responses"];
};

const DESCRIPTIONS = new WeakMap<Function, RouteDescription>();

/**
 * Documents the route it is placed on for the edge's OpenAPI document; at run time it only
 * calls the next handler. Inputs are documented by the route's `validated` middleware, so a
 * description says what the route is for and what it answers.
 */
export function describe(description: RouteDescription): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  DESCRIPTIONS.set(middleware, description);
  return middleware;
}

/**
 * A `describe` for a family of routes: tags and refusals are added to each route's own,
 * shared responses apply where the route names no reply of the same status.
 *
 * ```ts
 * const describeStaffRoute = describeWith({ tags: ["staff"], errors: ["unauthorized", "forbidden"] });
 * app.get("/staff", describeStaffRoute({ summary: "List staff", responses: { 200: staffList } }), ...);
 * ```
 */
export function describeWith(shared: SharedDescription): (own: RouteDescription) => MiddlewareHandler {
  return (own) =>
    describe({
      ...own,
      tags: unique([...(shared.tags ?? []), ...(own.tags ?? [])]),
      errors: unique([...(shared.errors ?? []), ...(own.errors ?? [])]),
      responses: { ...shared.responses, ...own.responses },
      deprecated: own.deprecated ?? shared.deprecated,
      body: own.body ?? shared.body,
      headers: own.headers ?? shared.headers,
    });
}

/** The description a `describe` middleware carries, or undefined for any other handler. */
export function descriptionOf(handler: Function): RouteDescription | undefined {
  return DESCRIPTIONS.get(handler);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

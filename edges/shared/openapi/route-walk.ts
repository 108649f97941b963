import type { Hono } from "hono";
import { COMPOSED_HANDLER } from "hono/utils/constants";
import { type Validation, validationOf } from "../validated.ts";
import { descriptionOf, type RouteDescription } from "./route-description.ts";

/** One route an app serves (a method and a path) with what documents it. */
export type DocumentedRoute = {
  /** upper case, as Hono keeps it */
  method: string;
  /** the Hono path, `:name` parameters and all */
  path: string;
  /** the last `describe` among the route's own handlers */
  description?: RouteDescription;
  /** every `validated` that runs before the route's handler: `app.use` middleware first, then its own */
  validations: Validation[];
  /** the route's own handlers (middleware given to `app.get(path, ...)` and the handler itself) */
  handlers: Function[];
};

type Entry = { method: string; path: string; handler: Function; index: number };

/**
 * The routes of an app from `app.routes`, where each handler and middleware is one entry:
 * entries of one method and path make a route; `app.use` (method ALL) middleware registered
 * before a route's handler and matching its path counts for it too. Sub-apps mounted with
 * their own error handler have their handlers wrapped; the originals are taken.
 */
export function routesOf(app: Hono<any, any, any>): DocumentedRoute[] {
  const entries: Entry[] = app.routes.map((route, index) => ({ method: route.method, path: route.path, handler: unwrapped(route.handler), index }));
  const shared = entries.filter((entry) => entry.method === "ALL");
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    if (entry.method === "ALL") continue;
    const key = `${entry.method} ${entry.path}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((own) => {
    const first = own[0]!;
    const last = own.at(-1)!.index;
    const before = shared.filter((entry) => entry.index < last && covers(entry.path, first.path));
    const handlers = own.map((entry) => entry.handler);
    const description = handlers.map(descriptionOf).findLast((d) => d !== undefined);
    const validations = [...before.map((entry) => entry.handler), ...handlers].map(validationOf).filter((v) => v !== undefined);
    return { method: first.method, path: first.path, ...(description && { description }), validations, handlers };
  });
}

function unwrapped(handler: Function): Function {
  let current = handler as Function & { [COMPOSED_HANDLER]?: Function };
  while (current[COMPOSED_HANDLER]) current = current[COMPOSED_HANDLER] as Function & { [COMPOSED_HANDLER]?: Function };
  return current;
}

/** Whether middleware registered on `pattern` runs for the route registered on `path`. */
function covers(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === "/*") return true;
  const source = pattern
    .split("/")
    .map((segment) => (segment === "*" ? ".*" : segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/")
    // Hono runs `/a/*` middleware for `/a` too
    .replace(/\/\.\*$/, "(?:/.*)?");
  return new RegExp(`^${source}$`).test(path);
}

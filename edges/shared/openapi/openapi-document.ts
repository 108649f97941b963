import type { Hono } from "hono";
import type { z } from "zod";
import { errorEnvelopeSchema } from "../error-envelope.ts";
import { statusOf } from "../error-status.ts";
import type { ValidationTarget } from "../validated.ts";
import { type PathParam, pathTemplates } from "./path-template.ts";
import type { BodyDoc, ResponseDoc, RouteDescription } from "./route-description.ts";
import { type DocumentedRoute, routesOf } from "./route-walk.ts";
import { type JsonSchema, SchemaComponents } from "./schema-components.ts";

export type OpenApiInfo = { title: string; version: string; description?: string; servers?: { url: string; description?: string }[] };

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema> };
};

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const JSON_MEDIA = "application/json";
/** `validated(schema, "json")` takes these as well as JSON (legacy clients send forms) */
const FORM_MEDIA = ["application/x-www-form-urlencoded", "multipart/form-data"];
const STATUS_TEXT: Record<string, string> = { 101: "Switching protocols", 200: "OK", 201: "Created", 202: "Accepted", 204: "No content", default: "Any other reply" };

/**
 * The OpenAPI 3.1 document of a Hono app, from the same metadata the routes run with: path
 * parameters from the route's path, parameters and bodies from its `validated` middleware,
 * summary and replies from its `describe`. A route without `describe` is listed with a
 * `default` reply saying so.
 */
export function openApiDocument(app: Hono<any, any, any>, info: OpenApiInfo): OpenApiDocument {
  const components = new SchemaComponents();
  const paths: OpenApiDocument["paths"] = {};
  const tags = new Set<string>();
  for (const route of routesOf(app)) {
    const method = route.method.toLowerCase();
    if (!METHODS.has(method)) continue;
    for (const path of pathTemplates(route.path)) (paths[path.template] ??= {})[method] = operation(route, path.params, components);
    for (const tag of route.description?.tags ?? []) tags.add(tag);
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, ...(info.description && { description: info.description }) },
    ...(info.servers && { servers: info.servers }),
    ...(tags.size > 0 && { tags: [...tags].sort().map((name) => ({ name })) }),
    paths,
    components: { schemas: components.schemas },
  };
}

function operation(route: DocumentedRoute, pathParams: PathParam[], components: SchemaComponents): JsonSchema {
  const d = route.description;
  const schemasOf = (target: ValidationTarget) => route.validations.filter((v) => v.target === target).map((v) => v.schema);
  const parameters = [
    ...pathParameters(pathParams, fieldsOf(schemasOf("param"), components)),
    ...listedParameters("query", fieldsOf(schemasOf("query"), components)),
    ...listedParameters("header", fieldsOf(d?.headers ? [d.headers] : [], components)),
  ];
  const requestBody = requestBodyOf(schemasOf("json").at(-1), d?.body, components);
  return {
    ...(d?.summary && { summary: d.summary }),
    ...(d?.description && { description: d.description }),
    ...(d?.tags?.length && { tags: [...d.tags] }),
    ...(d?.deprecated && { deprecated: true }),
    ...(parameters.length > 0 && { parameters }),
    ...(requestBody && { requestBody }),
    responses: d ? responsesOf(d, components) : { default: { description: "not described yet" } },
  };
}

type Field = { schema: JsonSchema; required: boolean };

/** The fields of object schemas (later schemas win), as parameters are listed one by one. */
function fieldsOf(schemas: z.ZodType[], components: SchemaComponents): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (const schema of schemas) {
    const shape = objectShape(components.convert(schema, "input"), components);
    for (const [name, property] of Object.entries(shape.properties)) fields.set(name, { schema: property, required: shape.required.has(name) });
  }
  return fields;
}

type Shape = { properties: Record<string, JsonSchema>; required: Set<string> };

/** An object schema's properties; of an intersection all parts', of a union any branch's (required only when every branch requires it). */
function objectShape(schema: JsonSchema, components: SchemaComponents): Shape {
  const json = components.resolve(schema);
  const shape: Shape = { properties: { ...(json.properties as Record<string, JsonSchema>) }, required: new Set(json.required as string[]) };
  for (const part of (json.allOf as JsonSchema[] | undefined) ?? []) merge(shape, objectShape(part, components), "all");
  const branches = ((json.anyOf ?? json.oneOf) as JsonSchema[] | undefined)?.map((branch) => objectShape(branch, components));
  if (branches?.length) {
    const union: Shape = { properties: {}, required: new Set(branches[0]!.required) };
    for (const branch of branches) merge(union, branch, "every");
    merge(shape, union, "all");
  }
  return shape;
}

function merge(into: Shape, from: Shape, required: "all" | "every"): void {
  Object.assign(into.properties, from.properties);
  if (required === "all") for (const name of from.required) into.required.add(name);
  else for (const name of into.required) if (!from.required.has(name)) into.required.delete(name);
}

function parameter(name: string, where: "path" | "query" | "header", schema: JsonSchema, required: boolean): JsonSchema {
  const description = typeof schema.description === "string" ? schema.description : undefined;
  return { name, in: where, required, ...(description && { description }), schema };
}

function pathParameters(params: PathParam[], fields: Map<string, Field>): JsonSchema[] {
  return params.map((param) => {
    const fallback: JsonSchema = param.wildcard ? { type: "string", description: "the rest of the path" } : { type: "string", ...(param.pattern && { pattern: param.pattern }) };
    return parameter(param.name, "path", fields.get(param.name)?.schema ?? fallback, true);
  });
}

function listedParameters(where: "query" | "header", fields: Map<string, Field>): JsonSchema[] {
  return [...fields].map(([name, field]) => parameter(name, where, field.schema, field.required));
}

function requestBodyOf(json: z.ZodType | undefined, body: BodyDoc | undefined, components: SchemaComponents): JsonSchema | undefined {
  if (!json && !body) return undefined;
  const content: Record<string, JsonSchema> = {};
  let description: string | undefined;
  if (json) {
    const schema = components.convert(json, "input");
    for (const media of [JSON_MEDIA, ...FORM_MEDIA]) content[media] = { schema };
    description = "JSON, or the same fields form-encoded (form values are strings)";
  }
  if (body) {
    content[body.mediaType] = body.schema ? { schema: components.convert(body.schema, "input") } : {};
    description = body.description ?? description;
  }
  return { ...(description && { description }), required: !(json && acceptsNoBody(json)), content };
}

/** `validated` reads an empty body as `{}`: the body may be left out when `{}` passes. */
function acceptsNoBody(schema: z.ZodType): boolean {
  try {
    return schema.safeParse({}).success;
  } catch {
    // an async refinement cannot run here; treat the body as required
    return false;
  }
}

function responsesOf(d: RouteDescription, components: SchemaComponents): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, doc] of Object.entries(d.responses)) if (doc) responses[checkedStatus(status)] = responseOf(status, doc, components);
  const refusals = new Map<number, string[]>();
  for (const code of d.errors ?? []) refusals.set(statusOf(code), [...(refusals.get(statusOf(code)) ?? []), code]);
  for (const [status, codes] of [...refusals].sort(([a], [b]) => a - b)) {
    responses[status] ??= {
      description: `refused: ${codes.join(", ")}`,
      content: { [JSON_MEDIA]: { schema: components.convert(errorEnvelopeSchema, "output") } },
    };
  }
  return responses;
}

function responseOf(status: string, doc: ResponseDoc, components: SchemaComponents): JsonSchema {
  if ("_zod" in doc) {
    return { description: doc.description ?? STATUS_TEXT[status] ?? `HTTP ${status}`, content: { [JSON_MEDIA]: { schema: components.convert(doc, "output") } } };
  }
  const media = doc.mediaType ?? JSON_MEDIA;
  const content = doc.schema ? { [media]: { schema: components.convert(doc.schema, "output") } } : doc.mediaType ? { [media]: {} } : undefined;
  return { description: doc.description, ...(content && { content }) };
}

function checkedStatus(status: string): string {
  if (status === "default" || /^[1-5][0-9][0-9]$/.test(status)) return status;
  throw new Error(`describe(): ${status} is not an HTTP status`);
}

import type { EdgeName } from "../../edges/index.ts";
import type { OpenApiDocument } from "../../edges/shared/index.ts";

export type JsonSchema = Record<string, any>;
export type ParameterPlace = "path" | "query" | "header";
export type Parameter = { name: string; in: ParameterPlace; required: boolean; schema: JsonSchema };

/** One operation of an edge's OpenAPI document, with its schemas as the document states them. */
export type Operation = {
  edge: EdgeName;
  method: string;
  /** the path template, `{name}` for each path parameter */
  path: string;
  /** `edge METHOD path`: how failures name it */
  key: string;
  parameters: Parameter[];
  tags: string[];
  body?: { schema: JsonSchema; media: string[] };
  /** the JSON Schema of each documented reply, by status */
  responses: Record<string, JsonSchema | undefined>;
  /** the document the schemas' `$ref`s point into */
  document: OpenApiDocument;
};

/** Every operation of an edge's document, in the document's order. */
export function operationsOf(edge: EdgeName, document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods) as [string, JsonSchema][]) {
      const parameters = ((operation.parameters ?? []) as Parameter[]).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {} }));
      const content = operation.requestBody?.content as Record<string, { schema?: JsonSchema }> | undefined;
      const media = Object.keys(content ?? {});
      const body = content && media.length > 0 ? { schema: content[media[0]!]!.schema ?? {}, media } : undefined;
      const responses = Object.fromEntries(
        Object.entries((operation.responses ?? {}) as Record<string, { content?: Record<string, { schema?: JsonSchema }> }>).map(([status, r]) => [
          status,
          r.content?.["application/json"]?.schema,
        ]),
      );
      operations.push({
        edge,
        method: method.toUpperCase(),
        path,
        key: `${edge} ${method.toUpperCase()} ${path}`,
        parameters,
        tags: operation.tags ?? [],
        body,
        responses,
        document,
      });
    }
  }
  return operations;
}

/** `schema` with its `$ref` (to the document's components) followed, once. */
export function resolved(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const name = decodeURIComponent(ref.replace("#/components/schemas/", ""));
  const target = document.components.schemas[name];
  if (!target) throw new Error(`the document has no schema ${ref}`);
  return resolved(document, target);
}

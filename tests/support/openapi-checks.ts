import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import type { OpenApiDocument } from "../../edges/shared/index.ts";

// an id for the document as a JSON Schema resource, so `#/components/...` refs resolve in it
const DOCUMENT_ID = "https://openapi.test/document.json";
const MEDIA_HOLDERS = ["requestBody", "responses"] as const;

/**
 * Why an OpenAPI document is not valid 3.1, or nothing: the official 3.1 schema (which leaves
 * Schema Objects unchecked), then every Schema Object as JSON Schema 2020-12 with its `$ref`s
 * resolved and its patterns compiled, then path templates against path parameters.
 */
export async function openApiProblems(document: OpenApiDocument): Promise<string[]> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  if (!result.valid) return [`not OpenAPI 3.1: ${JSON.stringify(result.errors).slice(0, 2000)}`];
  if (validator.version !== "3.1") return [`OpenAPI ${validator.version}, not 3.1`];
  return [...schemaProblems(document), ...pathParameterProblems(document)];
}

function schemaProblems(document: OpenApiDocument): string[] {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(structuredClone(document), DOCUMENT_ID);
  const problems: string[] = [];
  for (const [pointer, schema] of schemaObjects(document)) {
    try {
      if (!ajv.validateSchema(schema as object)) problems.push(`${pointer}: ${ajv.errorsText(ajv.errors)}`);
      ajv.getSchema(`${DOCUMENT_ID}#${pointer.split("/").map(encodeURIComponent).join("/")}`);
    } catch (error) {
      problems.push(`${pointer}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Every Schema Object of the document with its JSON pointer. */
export function schemaObjects(document: OpenApiDocument): [string, unknown][] {
  const found: [string, unknown][] = Object.entries(document.components.schemas).map(([name, schema]) => [`/components/schemas/${escape(name)}`, schema]);
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const at = `/paths/${escape(path)}/${method}`;
      const parameters = (operation.parameters ?? []) as { schema: unknown }[];
      parameters.forEach((parameter, i) => found.push([`${at}/parameters/${i}/schema`, parameter.schema]));
      for (const holder of MEDIA_HOLDERS) found.push(...mediaSchemas(operation[holder], `${at}/${holder}`));
    }
  }
  return found;
}

function mediaSchemas(holder: unknown, at: string): [string, unknown][] {
  if (!holder || typeof holder !== "object") return [];
  if ("content" in holder) {
    const content = holder.content as Record<string, { schema?: unknown }>;
    return Object.entries(content).flatMap(([media, entry]) => (entry.schema === undefined ? [] : [[`${at}/content/${escape(media)}/schema`, entry.schema] as [string, unknown]]));
  }
  // the responses object: one response per status
  return Object.entries(holder).flatMap(([status, response]) => mediaSchemas(response, `${at}/${status}`));
}

function pathParameterProblems(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = (operation.parameters ?? []) as { name: string; in: string; required?: boolean }[];
      const declared = parameters.filter((p) => p.in === "path");
      if (JSON.stringify(declared.map((p) => p.name).sort()) !== JSON.stringify(templated))
        problems.push(`${method} ${path}: path parameters ${declared.map((p) => p.name)} do not match the template`);
      if (declared.some((p) => p.required !== true)) problems.push(`${method} ${path}: a path parameter is not required`);
      const keys = parameters.map((p) => `${p.in}:${p.name}`);
      if (new Set(keys).size !== keys.length) problems.push(`${method} ${path}: a parameter is listed twice`);
    }
  }
  return problems;
}

function escape(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

import { expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import { Glob } from "bun";
import type { z } from "zod";
import { SchemaComponents } from "../../edges/shared/openapi/schema-components.ts";

const ROOTS = ["actors", "edges", "config", "shards", "supervisor"];
const ROOT_DIR = new URL("../../", import.meta.url).pathname;

/** Every zod schema a module exports, in protocols and field sets too (plain objects, a few levels deep). */
function exportedSchemas(value: unknown, found: Set<z.ZodType>, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 4) return;
  if ("_zod" in value) {
    found.add(value as z.ZodType);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  // module namespaces, plain objects and arrays; never class instances
  if (depth > 0 && proto !== Object.prototype && proto !== null && !Array.isArray(value)) return;
  for (const item of Object.values(value)) exportedSchemas(item, found, depth + 1);
}

test("every zod schema the code base exports converts both ways to valid JSON Schema 2020-12", async () => {
  const found = new Set<z.ZodType>();
  for (const root of ROOTS) {
    for await (const file of new Glob(`${root}/**/*.ts`).scan(ROOT_DIR)) exportedSchemas(await import(`${ROOT_DIR}${file}`), found);
  }
  // the protocols of every domain alone hold well over this many
  expect(found.size).toBeGreaterThan(150);
  const components = new SchemaComponents();
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const invalid: string[] = [];
  for (const schema of found) {
    for (const io of ["input", "output"] as const) {
      const converted = components.convert(schema, io);
      if (!ajv.validateSchema(converted)) invalid.push(`${io} ${JSON.stringify(converted).slice(0, 200)}: ${ajv.errorsText(ajv.errors)}`);
    }
  }
  expect(invalid).toEqual([]);
});
